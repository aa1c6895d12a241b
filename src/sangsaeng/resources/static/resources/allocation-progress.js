// Polls an MPW allocation while the engine computes it, then reloads the page to show it.
(function () {
  "use strict";
  var box = document.getElementById("allocation-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var label = box.querySelector(".allocation-status");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (allocation) {
        label.textContent = allocation.status_label;
        if (allocation.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
