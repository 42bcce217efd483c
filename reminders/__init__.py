"""Deadline engine and reminders: dated steps, the outbox planner and the delivery worker.

Entry points:
- `calendars.steps.steps_for_event` — an event's dated steps (pure);
- `reminders.planner.replan_event` / `replan_user` / `plan_creation` — bring the outbox in line
  with the data, in the caller's transaction;
- `reminders.outbox.enqueue_message` — queue a ready-made notification (other features);
- `reminders.worker.start_reminder_worker` / `drain_once` — deliver what is due.
"""
