// Well-being that the person chooses, kept and counted on this device only.
//
// Settings live in localStorage, the day's minutes in localStorage, the current
// sitting in sessionStorage. None of it is ever sent: no cookie, no link, no form.
// The one request this file makes is GET /api/me/replies, for the replies badge
// when the person has turned it on, and it carries nothing but the session.
// tests/e2e/test_wellbeing_browser.py watches every request to prove it.
(() => {
  const SETTINGS = "momo.pace.settings";
  const DAY = "momo.pace.day";          // {day, seconds, budgetShown}
  const SITTING = "momo.pace.sitting";  // {seconds, last, nextBreak}
  const QUIET_OK = "momo.pace.quietOk"; // the quiet stretch the person chose to skip
  const LATEST_NEWEST = "momo.pace.latestNewest";
  const LATEST_STOP = "momo.pace.latestStop";
  const TICK_MS = 5000;
  const GAP_MS = 60000;             // a longer pause (sleep, closed lid) is not use
  const NEW_SITTING_MS = 10 * 60000; // ten minutes away count as a break taken

  // Storage can be switched off (or throw on access): then nothing is remembered.
  const storage = (name) => {
    try { const store = window[name]; store.getItem("momo"); return store; } catch (_) {
      const memory = new Map();
      return { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, v), removeItem: (k) => memory.delete(k) };
    }
  };
  const localStorage = storage("localStorage");
  const sessionStorage = storage("sessionStorage");
  const read = (store, key, fallback) => {
    try { const value = JSON.parse(store.getItem(key)); return value ?? fallback; } catch (_) { return fallback; }
  };
  const write = (store, key, value) => { try { store.setItem(key, JSON.stringify(value)); } catch (_) { /* private mode */ } };
  const defaults = { budget: 0, breakEvery: 0, quietFrom: "", quietTo: "", hideLikes: false, badge: false };
  const REPLIES_SEEN = "momo.pace.repliesSeen";
  const settings = Object.assign({}, defaults, read(localStorage, SETTINGS, {}));

  const dayKey = (d = new Date()) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
  const hm = (text) => { const m = /^(\d{1,2}):(\d{2})$/.exec(text || ""); return m ? Number(m[1]) * 60 + Number(m[2]) : null; };
  // Which quiet stretch "now" falls in, named by the day it started; null outside quiet hours.
  const quietStretch = () => {
    const from = hm(settings.quietFrom), to = hm(settings.quietTo);
    if (from === null || to === null || from === to) return null;
    const now = new Date(), minute = now.getHours() * 60 + now.getMinutes();
    if (from < to) return minute >= from && minute < to ? dayKey(now) : null;
    if (minute >= from) return dayKey(now);
    if (minute < to) return dayKey(new Date(now.getTime() - 86400000));
    return null;
  };

  const root = document.documentElement;
  if (settings.hideLikes) root.classList.add("hide-likes");
  const feedPath = /^\/(latest|topics\/[^/]+)?$/.test(location.pathname);
  const stretch = quietStretch();
  if (feedPath && stretch && read(sessionStorage, QUIET_OK, null) !== stretch) root.classList.add("quiet");

  let words = {};
  const dialog = (title, text, buttons) => {
    document.querySelector(".pace-dialog")?.remove();
    const box = document.createElement("div");
    box.className = "pace-dialog"; box.setAttribute("role", "dialog"); box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-label", title); box.dataset.testid = "pace-dialog";
    const panel = document.createElement("div");
    const h = document.createElement("h2"); h.textContent = title;
    const p = document.createElement("p"); p.textContent = text;
    const row = document.createElement("p");
    buttons.forEach(([label, action, primary]) => {
      const b = document.createElement("button");
      b.type = "button"; b.className = primary ? "btn btn-red" : "btn"; b.textContent = label;
      b.addEventListener("click", () => { action(box); });
      row.appendChild(b);
    });
    panel.append(h, p, row); box.appendChild(panel);
    box.addEventListener("keydown", (event) => { if (event.key === "Escape") box.remove(); });
    document.body.appendChild(box);
    row.querySelector("button")?.focus();
    return box;
  };
  const rest = (box) => {
    // A break taken: the sitting starts again from zero.
    write(sessionStorage, SITTING, { seconds: 0, last: Date.now(), nextBreak: settings.breakEvery * 60 });
    const panel = box.querySelector("div");
    panel.replaceChildren(Object.assign(document.createElement("p"), { textContent: words.resting }));
    const close = Object.assign(document.createElement("button"), { type: "button", className: "btn", textContent: words.keepGoing });
    close.addEventListener("click", () => box.remove());
    panel.appendChild(close); close.focus();
  };
  const fill = (text, minutes) => (text || "").replace("{minutes}", String(minutes));

  const tick = () => {
    if (document.visibilityState === "hidden") return;
    const now = Date.now();
    const sitting = read(sessionStorage, SITTING, { seconds: 0, last: now, nextBreak: settings.breakEvery * 60 });
    const gap = now - sitting.last;
    if (gap > NEW_SITTING_MS) { sitting.seconds = 0; sitting.nextBreak = settings.breakEvery * 60; }
    const spent = gap > 0 && gap <= GAP_MS ? gap / 1000 : 0;
    sitting.seconds += spent; sitting.last = now;
    const day = read(localStorage, DAY, {});
    if (day.day !== dayKey()) { day.day = dayKey(); day.seconds = 0; day.budgetShown = false; }
    day.seconds += spent;
    write(localStorage, DAY, day);
    if (settings.budget > 0 && day.seconds >= settings.budget * 60 && !day.budgetShown) {
      day.budgetShown = true; write(localStorage, DAY, day);
      dialog(words.budgetTitle, fill(words.budgetText, settings.budget), [
        [words.takeBreak, rest, true], [words.keepGoing, (box) => box.remove()],
      ]);
    } else if (settings.breakEvery > 0 && sitting.nextBreak > 0 && sitting.seconds >= sitting.nextBreak) {
      sitting.nextBreak = sitting.seconds + settings.breakEvery * 60;
      dialog(words.breakTitle, fill(words.breakText, Math.round(sitting.seconds / 60)), [
        [words.takeBreak, rest, true], [words.keepGoing, (box) => box.remove()],
      ]);
    }
    write(sessionStorage, SITTING, sitting);
  };

  // Latest ends where this device stopped last time: older cards fold away.
  const latestStop = () => {
    if (location.pathname !== "/latest") return;
    const cards = Array.from(document.querySelectorAll(".grid [data-note]"));
    const firstPage = !new URLSearchParams(location.search).has("cursor");
    if (firstPage && read(sessionStorage, LATEST_STOP, null) === null) {
      write(sessionStorage, LATEST_STOP, read(localStorage, LATEST_NEWEST, ""));
    }
    if (firstPage && cards.length) write(localStorage, LATEST_NEWEST, cards[0].dataset.note);
    const stop = read(sessionStorage, LATEST_STOP, "");
    const at = stop ? cards.findIndex((c) => c.dataset.note === stop) : -1;
    if (at < 0) return;
    const older = cards.slice(at);
    older.forEach((c) => { c.hidden = true; });
    const more = document.querySelector(".more");
    if (more) more.hidden = true;
    const note = document.createElement("section");
    note.className = "caught-up"; note.setAttribute("role", "status"); note.dataset.testid = "latest-stop";
    const p = Object.assign(document.createElement("p"), { textContent: words.latestStop });
    const show = Object.assign(document.createElement("button"), { type: "button", className: "btn", textContent: words.showOlder });
    show.addEventListener("click", () => { older.forEach((c) => { c.hidden = false; }); if (more) more.hidden = false; note.remove(); });
    note.append(p, show);
    document.querySelector(".grid").before(note);
  };

  const quietPage = () => {
    if (!root.classList.contains("quiet")) return;
    const main = document.querySelector("main");
    const calm = document.createElement("section");
    calm.className = "quiet-page"; calm.dataset.testid = "quiet-page";
    const h = Object.assign(document.createElement("h1"), { textContent: words.quietTitle });
    const p = Object.assign(document.createElement("p"), { textContent: words.quietText });
    const go = Object.assign(document.createElement("button"), { type: "button", className: "btn", textContent: words.continue });
    go.addEventListener("click", () => { write(sessionStorage, QUIET_OK, stretch); root.classList.remove("quiet"); calm.remove(); });
    calm.append(h, p, go);
    main.before(calm);
    go.focus();
  };

  const settingsForm = () => {
    const form = document.getElementById("pace-form");
    if (!form) return;
    const $ = (id) => document.getElementById(id);
    const status = $("pace-status");
    const showToday = () => {
      const day = read(localStorage, DAY, {});
      const minutes = day.day === dayKey() ? Math.floor(day.seconds / 60) : 0;
      status.textContent = (form.dataset.today || "").replace("{minutes}", String(minutes));
    };
    $("pace-budget").value = settings.budget; $("pace-break").value = settings.breakEvery;
    $("pace-quiet-from").value = settings.quietFrom; $("pace-quiet-to").value = settings.quietTo;
    $("pace-hide-likes").checked = settings.hideLikes;
    $("pace-badge").checked = settings.badge;
    form.hidden = false;
    showToday();
    form.addEventListener("submit", (event) => {
      event.preventDefault();  // never sent: there is nowhere on the server to keep it
      const whole = (v) => Math.max(0, Math.round(Number(v) || 0));
      Object.assign(settings, {
        budget: whole($("pace-budget").value), breakEvery: whole($("pace-break").value),
        quietFrom: $("pace-quiet-from").value, quietTo: $("pace-quiet-to").value,
        hideLikes: $("pace-hide-likes").checked,
        badge: $("pace-badge").checked,
      });
      write(localStorage, SETTINGS, settings);
      root.classList.toggle("hide-likes", settings.hideLikes);
      const sitting = read(sessionStorage, SITTING, null);
      if (sitting) { sitting.nextBreak = sitting.seconds + settings.breakEvery * 60; write(sessionStorage, SITTING, sitting); }
      status.textContent = form.dataset.saved;
    });
    $("pace-forget").addEventListener("click", () => { localStorage.removeItem(DAY); sessionStorage.removeItem(SITTING); showToday(); });
  };

  // The replies badge: off unless the person turns it on. What counts as new is the
  // newest reply this device has shown; the request asks only for the list.
  const repliesBadge = async () => {
    const page = document.querySelector("[data-replies-newest]");
    if (page) write(localStorage, REPLIES_SEEN, Number(page.dataset.repliesNewest));
    const link = document.querySelector("a[data-replies]");
    if (!settings.badge || !link || page) return;
    try {
      const response = await fetch("/api/me/replies", { headers: { accept: "application/json" } });
      if (!response.ok) return;
      const seen = Number(read(localStorage, REPLIES_SEEN, 0));
      const fresh = (await response.json()).filter((r) => r.bucket > seen).length;
      const badge = link.querySelector(".badge");
      if (fresh && badge) { badge.textContent = String(fresh); badge.hidden = false; }
    } catch (_) { /* offline: no badge */ }
  };

  document.addEventListener("DOMContentLoaded", () => {
    repliesBadge();
    const source = document.getElementById("pace-words");
    words = source ? { ...source.dataset } : {};
    quietPage();
    latestStop();
    document.addEventListener("momo:cards", latestStop);
    settingsForm();
    tick();
    setInterval(tick, TICK_MS);
  });
})();
