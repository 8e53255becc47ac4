// A case's next step: the good reason's fields only while "good reason" is chosen
// (without scripts they are always shown; the form ignores them for other steps).
(() => {
  const kind = document.getElementById("id_kind");
  const fields = document.getElementById("good-reason-fields");
  if (!kind || !fields) return;
  const show = () => { fields.hidden = kind.value !== "good_reason"; };
  kind.addEventListener("change", show);
  show();
})();
