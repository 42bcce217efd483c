// The panel's only script: finds the signed initData, loads the server-rendered panel with it,
// and sends the filters and the forms (previews, confirmations) back the same way.
"use strict";
(function () {
  const hash = new URLSearchParams(location.hash.slice(1));
  const tg = window.Telegram && window.Telegram.WebApp;
  const initData = (tg && tg.initData) || hash.get("tgWebAppData") || "";
  const main = document.getElementById("panel");
  const dialog = document.getElementById("dialog");
  let filters = new URLSearchParams();
  let view = "";  // "": the first panel; else a calendar section, "code" or "code&name=value"

  function applyTheme() {
    let theme = tg && tg.themeParams && Object.keys(tg.themeParams).length ? tg.themeParams : null;
    if (!theme && hash.get("tgWebAppThemeParams")) {
      try { theme = JSON.parse(hash.get("tgWebAppThemeParams")); } catch (e) { theme = null; }
    }
    for (const [key, value] of Object.entries(theme || {})) {
      document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
    }
  }

  function request(path, body) {
    const options = { headers: { "X-Telegram-Init-Data": initData } };
    if (body) { options.method = "POST"; options.body = new URLSearchParams(body); }
    return fetch("/app/api/" + path, options).then(function (response) {
      return response.text().then(function (text) { return { status: response.status, text: text }; });
    });
  }

  function failure(status) {
    const words = document.documentElement.lang === "en"
      ? { 401: "Open the panel from the bot in Telegram.", 403: "This panel is not available to you." }
      : { 401: "Откройте панель из бота в Telegram.", 403: "Эта панель вам недоступна." };
    return "<p class=\"notice refused\">" + (words[status] || ("Error " + status)) + "</p>";
  }

  function load() {
    main.setAttribute("aria-busy", "true");
    const path = view ? "calendar?cal=" + view : "panel?" + filters.toString();
    return request(path).then(function (answer) {
      main.innerHTML = answer.status === 200 ? answer.text : failure(answer.status);
      main.removeAttribute("aria-busy");
      document.body.dataset.loaded = String(Date.now());
    });
  }

  function readFilters(form) {
    filters = new URLSearchParams();
    for (const [key, value] of new FormData(form).entries()) {
      if (value) { filters.set(key, value); }
    }
  }

  let typing = null;
  main.addEventListener("change", function (event) {
    const choose = event.target.dataset.chooseView;
    if (choose) { view = choose + "&" + event.target.name + "=" + encodeURIComponent(event.target.value); load(); return; }
    const form = event.target.form;
    if (form && form.id === "filters" && event.target.name !== "q") { readFilters(form); load(); }
  });
  main.addEventListener("input", function (event) {
    const form = event.target.form;
    if (!form || form.id !== "filters" || event.target.name !== "q") { return; }
    clearTimeout(typing);
    typing = setTimeout(function () { readFilters(form); load(); }, 350);
  });
  document.addEventListener("click", function (event) {
    const section = event.target.closest("[data-view]");
    if (section) { event.preventDefault(); view = section.dataset.view; load(); return; }
    const school = event.target.closest("[data-filter-school]");
    if (school) {
      event.preventDefault();
      if (school.dataset.filterSchool) { filters.set("school", school.dataset.filterSchool); }
      else { filters.delete("school"); }
      load();
    }
    const area = event.target.closest("[data-filter-municipality]");
    if (area) {
      event.preventDefault();
      filters.set("municipality", area.dataset.filterMunicipality);
      filters.delete("school");
      load();
    }
    const download = event.target.closest("[data-download]");
    if (download) {
      fetch("/app/api/" + download.dataset.download, { headers: { "X-Telegram-Init-Data": initData } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
          return response.blob().then(function (blob) { return { blob: blob, name: name ? name[1] : "export.xlsx" }; });
        })
        .then(function (file) {
          const link = document.createElement("a");
          link.href = URL.createObjectURL(file.blob);
          link.download = file.name;
          document.body.appendChild(link);
          link.click();
          link.remove();
        })
        .catch(function (error) { dialog.innerHTML = failure(Number(error.message)); dialog.hidden = false; });
    }
    if (event.target.closest("[data-close]")) { dialog.hidden = true; dialog.innerHTML = ""; load(); }
  });
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.id === "collection-choice") { event.preventDefault(); return; }
    if (form.id === "filters") { event.preventDefault(); readFilters(form); load(); return; }
    if (!form.dataset.action) { return; }
    event.preventDefault();
    request(form.dataset.action, new FormData(form)).then(function (answer) {
      dialog.innerHTML = answer.status === 200 || answer.status === 409 ? answer.text : failure(answer.status);
      dialog.hidden = false;
      const first = dialog.querySelector("button, textarea");
      if (first) { first.focus(); }
    });
  });

  applyTheme();
  if (tg) { try { tg.ready(); tg.expand(); } catch (e) { /* outside Telegram */ } }
  load();
})();
