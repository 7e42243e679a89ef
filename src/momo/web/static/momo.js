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
document.querySelectorAll("form[data-pii-scan]").forEach((form) => {
  const box = form.querySelector(".pii-live");
  const fields = form.querySelectorAll("input[name=title], textarea[name=body]");
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
});

// Sign-up proof-of-work: find a nonce so SHA-256(challenge ":" nonce) starts with
// `difficulty` zero bits. A small synchronous SHA-256 (written for Momo) is used so
// it also works on plain-HTTP deployments, where Web Crypto is unavailable.
const SHA_K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
function sha256(bytes) {
  const length = bytes.length, padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
  padded.set(bytes); padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 4, length * 8);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let [a, b, c, d, e, f, g, k] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA_K[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
  }
  return h;
}
function leadingZeroBits(words) {
  let bits = 0;
  for (const word of words) {
    if (word === 0) { bits += 32; continue; }
    return bits + Math.clz32(word);
  }
  return bits;
}
document.querySelectorAll("form[data-pow]").forEach((form) => {
  const difficulty = Number(form.dataset.pow);
  if (!difficulty) return;
  form.addEventListener("submit", (event) => {
    const nonceField = form.querySelector("input[name=nonce]");
    if (nonceField.value) return;
    event.preventDefault();
    const encoder = new TextEncoder();
    const challenge = form.querySelector("input[name=challenge]").value;
    let counter = 0;
    const step = () => {
      const stop = counter + 20000;
      for (; counter < stop; counter++) {
        if (leadingZeroBits(sha256(encoder.encode(`${challenge}:${counter}`))) >= difficulty) {
          nonceField.value = String(counter);
          form.submit();
          return;
        }
      }
      setTimeout(step, 0);  // keep the page responsive between batches
    };
    step();
  });
});

// The style check, in place, without leaving the composer.
document.querySelectorAll("[data-style-check]").forEach((button) => {
  button.addEventListener("click", async (event) => {
    const form = button.closest("form");
    const box = form.querySelector(".style-live");
    const text = Array.from(form.querySelectorAll("input[name=title], textarea[name=body]")).map((f) => f.value).join("\n");
    if (!text.trim() || !box) return;
    event.preventDefault();
    try {
      const response = await fetch("/api/style/exposure", {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }),
      });
      if (!response.ok) { form.requestSubmit(button); return; }
      const result = await response.json();
      box.innerHTML = `<section class="style-result"><h2>${escapeHtml(button.textContent)}</h2>` +
        `<p><b>${escapeHtml(result.level)}</b>${result.score === null ? "" : ` (${Math.round(result.score * 100)}%)`}</p><ul>` +
        result.markers.map((m) => `<li><b>${escapeHtml(m.text)}</b> · ${escapeHtml(m.explanation)}</li>`).join("") + "</ul></section>";
    } catch (_) { form.requestSubmit(button); }
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
