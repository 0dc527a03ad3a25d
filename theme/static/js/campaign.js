/* The site's one script, loaded with `defer` on pages built while an action is open.
 * Without it every page works: the build's state stands and the letters are plain
 * text to select and copy. It adds two things:
 *
 * 1. The reader's clock (plugins/campaign/lifecycle.py). If the daily rebuild did not
 *    run, a page built while an action was open may be read after its deadline. Every
 *    element that holds only while open carries data-cs-when="open" and the action's
 *    deadline (the last day to act, anywhere on Earth, as the build counts it); what holds
 *    once it has ended is in the page too, hidden. Past the deadline by the reader's
 *    clock, the first are hidden and the second shown, before anything else runs.
 * 2. Copy and print buttons for the letters (components/copy_button.html): each button
 *    (nothing shows a button that cannot work) and a live region that says what
 *    happened. Print marks its letter so that the print stylesheet prints that sheet
 *    alone. Every string it shows comes from the page's data- attributes, already
 *    translated.
 * 3. The letters' date: the day the reader prints or copies them (time[data-cs-today]).
 * 4. The reader's sign-off (partials/signoff.html): a name and a city, typed into two
 *    fields, are put in every letter's closing on the page and on paper, in the copied
 *    text, and in the e-mail links (rebuilt, never longer than the limit the page gives,
 *    from plugins/campaign/mailto.py). They stay in the page: nothing is sent, stored
 *    or logged, and the fields are in no form.
 */
(function () {
  "use strict";

  // The site's day (plugins/campaign/deadlines.py): the calendar day in UTC-12, the last
  // time zone on Earth, so a deadline day ends for everyone at 12:00 UTC the next day.
  var DAY_ENDS_AT_UTC_HOUR = 12;
  function siteDay(now) {
    return new Date(now.getTime() - DAY_ENDS_AT_UTC_HOUR * 3600 * 1000).toISOString().slice(0, 10);
  }

  function applyReadersClock() {
    var today = siteDay(new Date()); // YYYY-MM-DD, as the build counts days
    var marked = document.querySelectorAll("[data-cs-deadline]");
    for (var i = 0; i < marked.length; i += 1) {
      if (today > marked[i].getAttribute("data-cs-deadline")) {
        marked[i].hidden = marked[i].getAttribute("data-cs-when") === "open";
      }
    }
  }

  applyReadersClock();

  // A letter is dated the day it is printed or sent: the reader's own day, in the letter's
  // language (the build wrote its own day there, which stands without the script).
  function applyLettersDate() {
    var now = new Date();
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    var iso = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    var dates = document.querySelectorAll("time[data-cs-today]");
    for (var i = 0; i < dates.length; i += 1) {
      try {
        var format = new Intl.DateTimeFormat(dates[i].getAttribute("data-cs-today"), {
          day: "numeric",
          month: "long",
          year: "numeric"
        });
        dates[i].textContent = format.format(now);
        dates[i].setAttribute("datetime", iso);
      } catch (error) {
        // a browser without that locale keeps the build's date
      }
    }
  }

  applyLettersDate();

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

  // --- The sign-off ---------------------------------------------------------------------
  var fields = {};
  // A field's text on one line, as the letters and e-mails show it.
  function fieldValue(key) {
    return fields[key] ? fields[key].value.replace(/\s+/g, " ").trim() : "";
  }
  var signoffLines = function () {
    return [];
  };
  // The fields show where scripts run (site.css); past the deadline by the reader's
  // clock their holder is hidden, and they are left alone.
  var signoff = document.querySelector("[data-cs-signoff]");
  if (signoff && !signoff.parentNode.hidden) {
    var inputs = signoff.querySelectorAll("[data-cs-field]");
    for (var f = 0; f < inputs.length; f += 1) {
      fields[inputs[f].getAttribute("data-cs-field")] = inputs[f];
    }
    signoffLines = function () {
      return ["name", "city"].map(fieldValue).filter(Boolean);
    };
  }

  // As mailto.py encodes: every byte but A-Z a-z 0-9 - . _ ~ percent-encoded.
  function encode(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  // The body ends each link (mailto.py), so the closing's lines are added at its end,
  // to the full letter or else to the shorter one the page offers, within the limit.
  function signLink(link, lines) {
    if (!link.hasAttribute("data-cs-href")) {
      link.setAttribute("data-cs-href", link.getAttribute("href"));
    }
    var limit = parseInt(link.getAttribute("data-cs-limit"), 10);
    var versions = [link.getAttribute("data-cs-href"), link.getAttribute("data-cs-roomy")];
    var href = versions[0];
    if (lines.length) {
      var added = encode("\r\n" + lines.join("\r\n"));
      for (var v = 0; v < versions.length; v += 1) {
        if (versions[v] && versions[v].indexOf("body=") > 0 && versions[v].length + added.length <= limit) {
          href = versions[v] + added;
          break;
        }
      }
    }
    link.setAttribute("href", href);
  }

  function applySignoff() {
    var lines = signoffLines();
    var filled = document.querySelectorAll("[data-cs-fill]");
    for (var i = 0; i < filled.length; i += 1) {
      filled[i].textContent = fieldValue(filled[i].getAttribute("data-cs-fill"));
    }
    var links = document.querySelectorAll("a[data-cs-limit]");
    for (var j = 0; j < links.length; j += 1) {
      signLink(links[j], lines);
    }
  }

  Object.keys(fields).forEach(function (key) {
    fields[key].addEventListener("input", applySignoff);
  });
  if (Object.keys(fields).length) {
    applySignoff(); // a value the browser kept after going back
  }

  // --- Copy and print buttons -------------------------------------------------------------
  function button(text) {
    var made = document.createElement("button");
    made.type = "button";
    made.className = "cs-copy__button";
    made.textContent = text;
    return made;
  }

  function printOnly(letter) {
    var root = document.documentElement;
    root.classList.add("cs-printing");
    letter.classList.add("cs-letter--print");
    if (letter.tagName === "DETAILS") {
      letter.open = true;
    }
    var done = function () {
      root.classList.remove("cs-printing");
      letter.classList.remove("cs-letter--print");
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
  }

  // A message of the holder's own, else the one said once for all letters around it.
  function message(holder, name) {
    var owner = holder.closest("[" + name + "]");
    return owner ? owner.getAttribute(name) : "";
  }

  function enhance(holder) {
    var target = document.getElementById(holder.getAttribute("data-copy-target"));
    if (!target) {
      return;
    }
    var copyButton = button(holder.getAttribute("data-copy-label"));
    var status = document.createElement("p");
    status.className = "cs-copy__status";
    status.setAttribute("role", "status");
    holder.appendChild(copyButton);
    if (message(holder, "data-print-label")) {
      var printButton = button(message(holder, "data-print-label"));
      holder.appendChild(printButton);
      printButton.addEventListener("click", function () {
        printOnly(holder.closest(".cs-letter"));
      });
    }
    holder.appendChild(status);
    copyButton.addEventListener("click", function () {
      var lines = signoffLines();
      var text = letterText(target) + (lines.length ? "\n" + lines.join("\n") : "");
      copy(text, target).then(
        function () {
          announce(status, message(holder, "data-copy-copied"));
        },
        function () {
          select(target); // left selected, for the reader's own copy command
          announce(status, message(holder, "data-copy-failed"));
        }
      );
    });
  }

  var holders = document.querySelectorAll("[data-copy-target]");
  for (var i = 0; i < holders.length; i += 1) {
    enhance(holders[i]);
  }
})();
