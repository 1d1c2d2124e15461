// Koe's only script. Everything works without it; it only makes leaving faster and quieter.
(function () {
  "use strict";
  function leave(event) {
    if (event) { event.preventDefault(); }
    // replace() swaps this page out of the tab's history, so Back does not return to it.
    // /exit/ ends the session and asks the browser to clear Koe's cookies, cache and storage,
    // then redirects to the neutral site.
    window.location.replace("/exit/");
  }
  var button = document.getElementById("quick-exit");
  if (button) { button.addEventListener("click", leave); }
  // Pressing Escape twice also leaves: quicker than finding the button under stress.
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !button) { return; }
    var now = Date.now();
    // Navigate after the key event is done: Escape's default action stops page loads, which
    // would cancel a navigation started inside the same keydown.
    if (now - lastEscape < 800) { event.preventDefault(); window.setTimeout(leave, 0); }
    lastEscape = now;
  });

  // Self-check: a question that depends on an answer on the same page is hidden until that
  // answer is chosen. Without script it stays visible with a note saying when to answer it.
  var dependents = document.querySelectorAll("[data-show-if]");
  function refresh() {
    dependents.forEach(function (block) {
      var wanted = block.getAttribute("data-show-values").split(" ");
      var inputs = document.querySelectorAll("input[name='" + block.getAttribute("data-show-if") + "']");
      var shown = Array.prototype.some.call(inputs, function (input) {
        return input.checked && wanted.indexOf(input.value) !== -1;
      });
      block.hidden = !shown;
      var note = block.querySelector(".depends");
      if (note) { note.hidden = true; }
    });
  }
  if (dependents.length) { document.addEventListener("change", refresh); refresh(); }

  // Self-check: each answer is saved as it is given, so the browser's own Back button, a closed
  // tab or a lost connection loses nothing. Without script, Next and Back save the page instead.
  var autosave = document.querySelector("form[data-autosave]");
  if (autosave && window.fetch && window.FormData) {
    autosave.addEventListener("change", function () {
      var data = new FormData(autosave);
      data.append("autosave", "1");
      window.fetch(autosave.action, { method: "POST", body: data, credentials: "same-origin" })
        .catch(function () { /* offline: Next will save the page */ });
    });
  }
})();
