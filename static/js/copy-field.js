// A button [data-copy="id"] copies the text of that field; without script, the field is
// still there to select and copy.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    const status = document.getElementById(button.dataset.copyStatus);
    if (status) status.textContent = status.dataset.copied;
  } catch {
    // no clipboard access (an insecure address): the selected text can be copied by hand
  }
});
