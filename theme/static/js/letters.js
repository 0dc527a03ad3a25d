/* Copy buttons for the sample letters (components/copy_button.html).
 *
 * Loaded with `defer`, only on pages whose action is open. Without it the letters
 * are plain text to select and copy, so this script only adds: it makes each button
 * (nothing shows a button that cannot work) and a live region that says what happened.
 * Every string it shows comes from the page's data- attributes, already translated.
 */
(function () {
  "use strict";

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
