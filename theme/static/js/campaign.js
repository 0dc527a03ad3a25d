/* The site's one script, loaded with `defer` on pages built while an action is open.
 * Without it every page works: the build's state stands and the letters are plain
 * text to select and copy. It adds two things:
 *
 * 1. The reader's clock (plugins/campaign/lifecycle.py). If the daily rebuild did not
 *    run, a page built while an action was open may be read after its deadline. Every
 *    element that holds only while open carries data-cs-when="open" and the action's
 *    deadline (the last day to act, a calendar day in UTC like the build's); what holds
 *    once it has ended is in the page too, hidden. Past the deadline by the reader's
 *    clock, the first are hidden and the second shown, before anything else runs.
 * 2. Copy buttons for the sample letters (components/copy_button.html): each button
 *    (nothing shows a button that cannot work) and a live region that says what
 *    happened. Every string it shows comes from the page's data- attributes, already
 *    translated.
 */
(function () {
  "use strict";

  function applyReadersClock() {
    var today = new Date().toISOString().slice(0, 10); // YYYY-MM-DD in UTC, as the build counts days
    var marked = document.querySelectorAll("[data-cs-deadline]");
    for (var i = 0; i < marked.length; i += 1) {
      if (today > marked[i].getAttribute("data-cs-deadline")) {
        marked[i].hidden = marked[i].getAttribute("data-cs-when") === "open";
      }
    }
  }

  applyReadersClock();

  // The letter as it reads: paragraphs separated by a blank line, <br> as a line break.
  function letterText(element) {
    var paragraphs = element.querySelectorAll("p");
    var parts = [];
    for (var i = 0; i < paragraphs.length; i += 1) {
      parts.push(paragraphs[i].innerText.trim());
    }
    return parts.join("\n\n");
  }

  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // The Clipboard API needs a secure context (https or localhost); elsewhere the
  // older copy command still works in most browsers.
  function copy(text, element) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      select(element);
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      window.getSelection().removeAllRanges();
      if (copied) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  // Emptied first, so that a second click announces the message again.
  function announce(status, message) {
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 100);
  }

  function enhance(holder) {
    var target = document.getElementById(holder.getAttribute("data-copy-target"));
    if (!target) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cs-copy__button";
    button.textContent = holder.getAttribute("data-copy-label");
    var status = document.createElement("p");
    status.className = "cs-copy__status";
    status.setAttribute("role", "status");
    holder.appendChild(button);
    holder.appendChild(status);
    button.addEventListener("click", function () {
      copy(letterText(target), target).then(
        function () {
          announce(status, holder.getAttribute("data-copy-copied"));
        },
        function () {
          select(target); // left selected, for the reader's own copy command
          announce(status, holder.getAttribute("data-copy-failed"));
        }
      );
    });
  }

  var holders = document.querySelectorAll("[data-copy-target]");
  for (var i = 0; i < holders.length; i += 1) {
    enhance(holders[i]);
  }
})();
