"""Steps of the schools' data calendars, per organisation: what is due, marking done, who lags,
nudges. Generic over the calendar: a feature supplies its items (`items.py`), the rest reuses
the marks (`models.calendar_steps.StepMark`), the lagging query and the nudges."""
