// nigraph query page: choosing a canned query fills the editor. The results are rendered by the
// server (the form works without JavaScript); this file only adds the convenience.
(function () {
  var select = document.getElementById("canned");
  var editor = document.getElementById("query");
  if (!select || !editor) { return; }
  select.addEventListener("change", function () {
    var source = document.getElementById("q-" + select.value);
    if (source) { editor.value = source.textContent; }
  });
  editor.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      document.getElementById("query-form").submit();
    }
  });
}());
