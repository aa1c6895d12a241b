// Saves an application draft as the applicant writes: two seconds after the last change, and
// when they leave a field. Files are uploaded with the Save button. A refused save (a wrong
// number, a text too long) changes nothing on the server; the page keeps what was typed.
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var timer = null;
  var dirty = false;
  var submitting = false;

  function show(text, failed) {
    status.textContent = text;
    status.classList.toggle("failed", !!failed);
  }

  function clearErrors() {
    var old = form.querySelectorAll(".autosave-error");
    for (var i = 0; i < old.length; i++) { old[i].parentNode.removeChild(old[i]); }
  }

  function showErrors(errors) {
    clearErrors();
    Object.keys(errors || {}).forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      var list = document.createElement("ul");
      list.className = "errorlist autosave-error";
      [].concat(errors[name]).forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
      if (input && input.parentNode) { input.parentNode.appendChild(list); }
      else { status.parentNode.insertBefore(list, status.nextSibling); }
    });
  }

  function save() {
    if (!dirty || submitting) { return; }
    dirty = false;
    var data = new FormData(form);
    var files = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < files.length; i++) { data.delete(files[i].name); }
    show(form.getAttribute("data-saving"));
    fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.saved) { clearErrors(); show(answer.message); }
        else { showErrors(answer.errors); show(form.getAttribute("data-failed"), true); }
      })
      .catch(function () { dirty = true; show(form.getAttribute("data-failed"), true); });
  }

  function changed(event) {
    if (event.target.type === "file") { return; }
    dirty = true;
    later(2000);
  }

  function later(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // Leaving a field saves soon, unless the click that left it submits the form anyway.
  form.addEventListener("focusout", function () { if (dirty) { later(400); } });
  form.addEventListener("submit", function () { submitting = true; window.clearTimeout(timer); });
})();
