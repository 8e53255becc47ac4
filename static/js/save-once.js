// A form marked data-save-once is sent once: while it is saving, its save button is
// disabled and says so. Buttons that only reload the form (name="reload") stay as they are.
// The server refuses a second send of the same form anyway (its one-time token); this
// spares the coach the wait and the message.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-save-once]") || event.defaultPrevented) {
    return;
  }
  if (event.submitter && event.submitter.name === "reload") {
    return;
  }
  if (form.dataset.saving === "1") {
    event.preventDefault(); // a second click while the first send is under way
    return;
  }
  form.dataset.saving = "1";
  for (const button of form.querySelectorAll("[data-save-once-button]")) {
    button.disabled = true;
    button.setAttribute("aria-disabled", "true");
    if (button.dataset.savingLabel) {
      button.dataset.label = button.textContent;
      button.textContent = button.dataset.savingLabel;
    }
  }
});

// Back to a page kept in the browser's cache: ready to save again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) {
    return;
  }
  for (const form of document.querySelectorAll("form[data-save-once]")) {
    delete form.dataset.saving;
    for (const button of form.querySelectorAll("[data-save-once-button]")) {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
      if (button.dataset.label) {
        button.textContent = button.dataset.label;
      }
    }
  }
});
