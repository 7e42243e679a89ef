// Progressive enhancement only: every page works without this file.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.dataset.copy).then(() => { button.textContent = "✓"; });
});
document.querySelectorAll("[data-copy][hidden]").forEach((b) => { if (navigator.clipboard) b.hidden = false; });

// Live privacy warnings: scan the draft as the person types (debounced), and ask
// once more before publishing text that carries personal data.
function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
const setupScan = (form) => {
  const box = form.querySelector(".pii-live");
  const fields = form.querySelectorAll("input[name=title], textarea[name=body], textarea[name=alts]");
  let timer = null;
  let findings = [];
  // The API counts code points; Array.from splits the same way (emoji included).
  const preview = (text) => {
    const chars = Array.from(text);
    let out = "", last = 0;
    findings.forEach((f) => {
      out += escapeHtml(chars.slice(last, f.start).join("")) +
        `<mark class="pii" data-kind="${f.kind}">${escapeHtml(chars.slice(f.start, f.end).join(""))}</mark>`;
      last = f.end;
    });
    return (out + escapeHtml(chars.slice(last).join(""))).replace(/\n/g, "<br>");
  };
  let scanned = "";
  const render = () => {
    if (!box) return;
    box.hidden = findings.length === 0;
    box.innerHTML = findings.length === 0 ? "" :
      `<section class="pii-warning" role="alert" data-testid="pii-live"><h2>⚠ ${escapeHtml(document.body.dataset.piiTitle)}</h2>` +
      `<p class="pii-preview">${preview(scanned)}</p><ul>` +
      findings.map((f) => `<li><mark class="pii" data-kind="${f.kind}">${escapeHtml(f.text)}</mark> · ${escapeHtml(f.explanation)}</li>`).join("") +
      "</ul></section>";
  };
  // The crisis lines, shown in place when the draft sounds like someone in crisis.
  // The card is the page's own <template>: showing it sends nothing anywhere.
  const careBox = form.querySelector(".care-live");
  let careClosed = false;
  const showCare = (care) => {
    const template = document.getElementById("care-card");
    if (!careBox || !template) return;
    if (!care || careClosed) { careBox.hidden = true; careBox.replaceChildren(); return; }
    if (!careBox.hidden) return;
    const card = template.content.cloneNode(true);
    const close = document.createElement("button");
    close.type = "button"; close.className = "btn"; close.textContent = document.getElementById("pace-words")?.dataset.close || "×";
    close.addEventListener("click", () => { careClosed = true; showCare(false); });
    card.querySelector("section")?.appendChild(close);
    careBox.replaceChildren(card);
    careBox.hidden = false;
  };
  const check = async () => {
    const text = Array.from(fields).map((f) => f.value).join("\n");
    if (!text.trim()) { findings = []; render(); showCare(false); return; }
    scanned = text;
    try {
      const response = await fetch("/api/privacy/scan", {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }),
      });
      if (response.ok) {
        const result = await response.json();
        findings = result.findings; render(); showCare(result.care);
      }
    } catch (_) { /* the server-side check still runs on submit */ }
  };
  fields.forEach((f) => f.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 350); }));
  form.addEventListener("submit", (event) => {
    const confirmed = form.querySelector("input[name=confirm_pii]");
    if (findings.length === 0 || (confirmed && confirmed.checked)) return;
    if (window.confirm(document.body.dataset.piiConfirm)) {
      const hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "confirm_pii"; hidden.value = "1";
      form.appendChild(hidden);
    } else {
      event.preventDefault();
    }
  });
};
document.querySelectorAll("form[data-pii-scan]").forEach(setupScan);
document.addEventListener("momo:region", (event) => {
  event.detail.querySelectorAll("form[data-pii-scan]").forEach(setupScan);
});

// Sign-up proof-of-work, solved in a Web Worker (static/pow-worker.js) while the
// page shows how far along it is.
document.querySelectorAll("form[data-pow]").forEach((form) => {
  const difficulty = Number(form.dataset.pow);
  if (!difficulty) return;
  const status = form.querySelector(".pow-status");
  form.addEventListener("submit", (event) => {
    const nonceField = form.querySelector("input[name=nonce]");
    if (nonceField.value) return;
    event.preventDefault();
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    const expected = 2 ** difficulty;
    const worker = new Worker("/static/pow-worker.js");
    worker.onmessage = (message) => {
      const { nonce, tries } = message.data;
      if (status) {
        const share = Math.min(99, Math.round((100 * tries) / (2 * expected)));
        status.textContent = (form.dataset.working || "{percent}%").replace("{percent}", String(nonce ? 100 : share));
      }
      if (nonce !== undefined) {
        worker.terminate();
        nonceField.value = nonce;
        form.submit();
      }
    };
    worker.postMessage({ challenge: form.querySelector("input[name=challenge]").value, difficulty });
  });
});

// The style check, in place, without leaving the composer. The server renders the
// answer (the same block as without JavaScript, in the reader's language); only the
// title, body and form token are sent, never the photos.
document.querySelectorAll("[data-style-check]").forEach((button) => {
  button.addEventListener("click", async (event) => {
    const form = button.closest("form");
    const box = form.querySelector(".style-live");
    const fields = Array.from(form.querySelectorAll("input[name=title], textarea[name=body], input[name=csrf]"));
    if (!box || !fields.some((f) => f.name !== "csrf" && f.value.trim())) return;
    event.preventDefault();
    const data = new FormData();
    fields.forEach((f) => data.append(f.name, f.value));
    box.setAttribute("aria-busy", "true");
    box.textContent = button.dataset.checking || "…";
    button.disabled = true;
    try {
      const response = await fetch("/compose/style", { method: "POST", body: data });
      if (!response.ok) { button.disabled = false; form.requestSubmit(button); return; }
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      box.innerHTML = page.querySelector(".style-live")?.innerHTML || "";
    } catch (_) { button.disabled = false; form.requestSubmit(button); return; }
    box.removeAttribute("aria-busy");
    button.disabled = false;
  });
});

// Drafts survive a reload: kept in this browser only, cleared when published.
document.querySelectorAll('form.composer[action="/compose"]').forEach((form) => {
  const KEY = "momo.draft";
  const fields = Array.from(form.querySelectorAll("input[name=title], textarea[name=body]"));
  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (_) { saved = {}; }
  if (fields.every((f) => !f.value)) fields.forEach((f) => { if (saved[f.name]) f.value = saved[f.name]; });
  const save = () => {
    const draft = Object.fromEntries(fields.map((f) => [f.name, f.value]));
    try { localStorage.setItem(KEY, JSON.stringify(draft)); } catch (_) { /* storage off */ }
  };
  fields.forEach((f) => f.addEventListener("input", save));
  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.hasAttribute("data-style-check")) return;
    try { localStorage.removeItem(KEY); } catch (_) { /* storage off */ }
  });
});

// "Load more" appends the next page in place instead of jumping to the top;
// without JavaScript it is a plain link to the next page.
document.addEventListener("click", async (event) => {
  const link = event.target.closest(".more a");
  if (!link) return;
  event.preventDefault();
  const more = link.closest(".more");
  try {
    const response = await fetch(link.href, { headers: { accept: "text/html" } });
    if (!response.ok) { window.location.href = link.href; return; }
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    const grid = document.querySelector("main .grid");
    const cards = Array.from(next.querySelectorAll("main .grid > .card"));
    cards.forEach((card) => grid.appendChild(document.importNode(card, true)));
    const end = next.querySelector("main .caught-up");
    const following = next.querySelector("main .more");
    if (following) more.replaceWith(document.importNode(following, true));
    else more.remove();
    if (end) grid.after(document.importNode(end, true));
    const first = grid.querySelector(`.card[data-note="${cards[0]?.dataset.note}"]`);
    if (first) first.focus();
    document.dispatchEvent(new CustomEvent("momo:cards"));
  } catch (_) { window.location.href = link.href; }
});

// Share: the system sheet where there is one, else copy the link.
document.addEventListener("click", async (event) => {
  const link = event.target.closest("[data-share]");
  if (!link) return;
  const url = new URL(link.getAttribute("href"), window.location.href).href;
  if (navigator.share) {
    event.preventDefault();
    try { await navigator.share({ title: link.dataset.share, url }); } catch (_) { /* dismissed */ }
  } else if (navigator.clipboard) {
    event.preventDefault();
    await navigator.clipboard.writeText(url);
    link.textContent = `✓ ${document.getElementById("pace-words")?.dataset.copied || "Link copied"}`;
  }
});

// Likes, hugs, bookmarks, reports, replies and deletions without a reload: the form
// is posted as usual and the page region it changes (data-enhance) is swapped for
// the one in the server's answer, with focus back on the same control. Without
// JavaScript the same forms post and return to the region's anchor.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.enhance || event.defaultPrevented) return;
  if (event.submitter && event.submitter.hasAttribute("formaction")) return;  // e.g. the style check
  const region = document.getElementById(form.dataset.enhance);
  if (!region) return;
  event.preventDefault();
  const focusKey = (event.submitter || form.querySelector("button"))?.dataset.focus;
  const body = new URLSearchParams(new FormData(form, event.submitter));
  let response;
  try {
    response = await fetch(form.action, { method: "POST", body, headers: { accept: "text/html" } });
  } catch (_) { form.submit(); return; }
  // Not redirected: nothing was stored (an error, or a privacy question): let the
  // browser show that page by posting normally.
  if (!response.redirected) { form.submit(); return; }
  const next = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = next.getElementById(form.dataset.enhance);
  if (!fresh) { window.location.assign(response.url); return; }
  const replacement = document.importNode(fresh, true);
  region.replaceWith(replacement);
  const shown = (el) => (el && el.getClientRects().length > 0 ? el : null);
  const target = shown(focusKey && replacement.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`)) ||
    shown(replacement.querySelector("[role=status]")) || replacement;
  if (target === replacement) replacement.setAttribute("tabindex", "-1");
  target.focus();
  document.dispatchEvent(new CustomEvent("momo:region", { detail: replacement }));
});

// The note's gallery: arrows, dots and a counter over the swipeable strip, arrow
// keys, and a lightbox for the full picture.
document.querySelectorAll(".gallery").forEach((gallery) => {
  const images = Array.from(gallery.querySelectorAll("img"));
  const frame = document.createElement("div");
  frame.className = "gallery-frame";
  gallery.replaceWith(frame);
  frame.appendChild(gallery);
  const current = () => Math.round(gallery.scrollLeft / Math.max(1, gallery.clientWidth));
  const show = (index) => {
    const target = images[Math.max(0, Math.min(images.length - 1, index))];
    gallery.scrollTo({ left: target.offsetLeft - gallery.offsetLeft, behavior: "smooth" });
  };
  if (images.length > 1) {
    const button = (label, cls, text, step) => {
      const b = Object.assign(document.createElement("button"), { type: "button", className: `gallery-nav ${cls}`, textContent: text });
      b.setAttribute("aria-label", label);
      b.addEventListener("click", () => show(current() + step));
      frame.appendChild(b);
    };
    button(gallery.dataset.prev || "Previous", "prev", "‹", -1);
    button(gallery.dataset.next || "Next", "next", "›", 1);
    const count = Object.assign(document.createElement("span"), { className: "gallery-count" });
    count.setAttribute("aria-live", "polite");
    const dots = Object.assign(document.createElement("div"), { className: "gallery-dots" });
    images.forEach((_, i) => {
      const dot = Object.assign(document.createElement("button"), { type: "button" });
      dot.setAttribute("aria-label", `${i + 1} / ${images.length}`);
      dot.addEventListener("click", () => show(i));
      dots.appendChild(dot);
    });
    frame.append(count, dots);
    const update = () => {
      const i = current();
      count.textContent = (gallery.dataset.counter || "{n} / {total}").replace("{n}", i + 1).replace("{total}", images.length);
      dots.querySelectorAll("button").forEach((d, j) => d.setAttribute("aria-current", String(i === j)));
    };
    gallery.addEventListener("scroll", () => window.requestAnimationFrame(update), { passive: true });
    gallery.tabIndex = 0;
    gallery.addEventListener("keydown", (event) => {
      if (event.key === "ArrowRight") show(current() + 1);
      if (event.key === "ArrowLeft") show(current() - 1);
    });
    update();
  }
  images.forEach((image) => image.addEventListener("click", () => {
    const box = Object.assign(document.createElement("dialog"), { className: "lightbox" });
    const big = Object.assign(document.createElement("img"), { src: image.getAttribute("src"), alt: image.alt });
    const close = Object.assign(document.createElement("button"), { type: "button", className: "btn", textContent: gallery.dataset.close || "×" });
    close.addEventListener("click", () => box.close());
    box.addEventListener("close", () => box.remove());
    box.append(big, close);
    document.body.appendChild(box);
    box.showModal();
  }));
});

// The composer's photos: previews in order, move left/right, a description box per
// photo (kept in the "alts" field, one line each), and upload progress.
document.querySelectorAll("input[type=file][data-previews]").forEach((input) => {
  const form = input.closest("form");
  const box = form.querySelector(".previews");
  const alts = form.querySelector("textarea[name=alts]");
  const progress = form.querySelector(".upload-progress");
  if (!box || !alts || typeof DataTransfer === "undefined") return;
  alts.closest("label").hidden = true;  // one box per photo instead
  let files = [];
  let descriptions = [];
  const sync = () => {
    const transfer = new DataTransfer();
    files.forEach((file) => transfer.items.add(file));
    input.files = transfer.files;
    alts.value = descriptions.map((d) => d.replace(/\n/g, " ")).join("\n");
  };
  const render = () => {
    box.replaceChildren();
    files.forEach((file, i) => {
      const item = Object.assign(document.createElement("figure"), { className: "preview" });
      const img = Object.assign(document.createElement("img"), { src: URL.createObjectURL(file), alt: "" });
      img.onload = () => URL.revokeObjectURL(img.src);
      const describe = Object.assign(document.createElement("input"), { value: descriptions[i] || "", maxLength: 300 });
      describe.setAttribute("aria-label", `${alts.closest("label").firstChild.textContent.trim()} (${i + 1})`);
      describe.addEventListener("input", () => { descriptions[i] = describe.value; sync(); });
      const move = (step, text) => {
        const b = Object.assign(document.createElement("button"), { type: "button", className: "pill", textContent: text });
        b.setAttribute("aria-label", `${text} ${i + 1}`);
        b.disabled = i + step < 0 || i + step >= files.length;
        b.addEventListener("click", () => {
          [files[i], files[i + step]] = [files[i + step], files[i]];
          [descriptions[i], descriptions[i + step]] = [descriptions[i + step], descriptions[i]];
          sync(); render();
        });
        return b;
      };
      item.append(img, describe, move(-1, "←"), move(1, "→"));
      box.appendChild(item);
    });
  };
  input.addEventListener("change", () => {
    files = Array.from(input.files).slice(0, 9);
    descriptions = files.map((_, i) => descriptions[i] || "");
    sync(); render();
  });
  form.addEventListener("submit", (event) => {
    if (event.defaultPrevented || !files.length || !progress) return;
    if (event.submitter && event.submitter.hasAttribute("formaction")) return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    progress.hidden = false;
    request.upload.onprogress = (e) => { if (e.lengthComputable) progress.value = Math.round((100 * e.loaded) / e.total); };
    request.onload = () => {
      // Published: the server answered with the note page. Anything else (a privacy
      // question, an error) stored nothing: post the form the ordinary way to show it.
      if (request.responseURL && new URL(request.responseURL).pathname.startsWith("/notes/")) {
        try { localStorage.removeItem("momo.draft"); } catch (_) { /* storage off */ }
        window.location.assign(request.responseURL);
      } else { form.submit(); }
    };
    request.onerror = () => form.submit();
    request.send(new FormData(form, event.submitter));
  });
});
