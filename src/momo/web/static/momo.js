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
  const check = async () => {
    const text = Array.from(fields).map((f) => f.value).join("\n");
    if (!text.trim()) { findings = []; render(); return; }
    scanned = text;
    try {
      const response = await fetch("/api/privacy/scan", {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }),
      });
      if (response.ok) { findings = (await response.json()).findings; render(); }
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
