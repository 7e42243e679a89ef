// Progressive enhancement only: every page works without this file.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.dataset.copy).then(() => { button.textContent = "✓"; });
});
document.querySelectorAll("[data-copy][hidden]").forEach((b) => { if (navigator.clipboard) b.hidden = false; });
