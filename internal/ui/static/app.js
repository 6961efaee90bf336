// parc: small progressive enhancements. Every page works without this file; it
// only saves clicks (menu toggle, filter rows, select all, confirmations, table filters).
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function onReady(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  // Navigation: collapsed behind a button on narrow screens.
  function navToggle() {
    var button = document.querySelector(".nav-toggle");
    var nav = document.getElementById("nav");
    if (!button || !nav) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  // Confirm destructive actions: forms carry their question in data-confirm.
  function confirmations() {
    document.addEventListener("submit", function (e) {
      var question = e.target.getAttribute && e.target.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        e.preventDefault();
      }
    });
  }

  // Filter builder: "add a condition" clones the last row with empty values.
  function filterRows() {
    var add = document.querySelector("[data-add-filter]");
    var rows = document.querySelector("[data-filter-rows]");
    if (!add || !rows) {
      return;
    }
    add.hidden = false;
    add.addEventListener("click", function () {
      var all = rows.querySelectorAll(".filter-row");
      var last = all[all.length - 1];
      var copy = last.cloneNode(true);
      var n = all.length;
      copy.querySelectorAll("[id]").forEach(function (el) {
        el.id = el.id.replace(/-\d+$/, "-" + n);
      });
      copy.querySelectorAll("label[for]").forEach(function (el) {
        el.htmlFor = el.htmlFor.replace(/-\d+$/, "-" + n);
      });
      copy.querySelectorAll("select").forEach(function (el) {
        el.selectedIndex = 0;
      });
      copy.querySelectorAll("input").forEach(function (el) {
        el.value = "";
      });
      copy.querySelectorAll("[data-suggest-from]").forEach(function (el) {
        el.setAttribute("data-suggest-from", el.getAttribute("data-suggest-from").replace(/-\d+$/, "-" + n));
      });
      rows.appendChild(copy);
      copy.dispatchEvent(new CustomEvent("filter:added", { bubbles: true }));
      var first = copy.querySelector("select");
      if (first) {
        first.focus();
      }
    });
  }

  // "Select all" checkbox of the bulk update.
  function selectAll() {
    document.querySelectorAll("input[data-select-all]").forEach(function (box) {
      var form = box.getAttribute("data-select-all");
      var boxes = function () {
        return document.querySelectorAll('input[type="checkbox"][name="id"][form="' + form + '"]');
      };
      box.hidden = false;
      box.addEventListener("change", function () {
        boxes().forEach(function (b) {
          b.checked = box.checked;
        });
      });
      document.addEventListener("change", function (e) {
        if (e.target === box || e.target.getAttribute("form") !== form) {
          return;
        }
        var list = boxes();
        var checked = 0;
        list.forEach(function (b) {
          if (b.checked) {
            checked++;
          }
        });
        box.checked = checked === list.length && list.length > 0;
        box.indeterminate = checked > 0 && checked < list.length;
      });
    });
  }

  // Dropdowns (<details class="dropdown">) close on Escape and outside clicks.
  function dropdowns() {
    var all = document.querySelectorAll("details.dropdown");
    document.addEventListener("click", function (e) {
      all.forEach(function (d) {
        if (d.open && !d.contains(e.target)) {
          d.open = false;
        }
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") {
        return;
      }
      all.forEach(function (d) {
        if (d.open) {
          d.open = false;
          var s = d.querySelector("summary");
          if (s) {
            s.focus();
          }
        }
      });
    });
  }

  // Table filter: a search box with data-filter-table hides, as one types, the rows
  // that do not hold the text; the form still filters on the server without this.
  function tableFilters() {
    document.querySelectorAll("input[data-filter-table]").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-filter-table"));
      if (!table || !table.tBodies.length) {
        return;
      }
      var wrap = table.parentElement;
      var count = document.getElementById(input.getAttribute("data-filter-count"));
      var empty = document.querySelector("[data-filter-empty]");
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var texts = rows.map(function (r) {
        return r.textContent.toLowerCase();
      });
      var lang = document.documentElement.lang || undefined;
      var original = count ? count.textContent : "";
      var template = count ? count.getAttribute("data-template") || "" : "";
      var total = count ? Number(count.getAttribute("data-total")) : rows.length;
      input.addEventListener("input", function () {
        var q = input.value.trim().toLowerCase();
        var shown = 0;
        rows.forEach(function (r, i) {
          var show = q === "" || texts[i].indexOf(q) >= 0;
          r.hidden = !show;
          if (show) {
            shown++;
          }
        });
        wrap.hidden = shown === 0;
        if (empty) {
          empty.hidden = shown !== 0;
        }
        if (count && template) {
          count.textContent = q === "" ? original : template
            .replace("{n}", shown.toLocaleString(lang))
            .replace("{total}", total.toLocaleString(lang));
        }
      });
    });
  }

  // Knowledge-base suggestions: while a title is typed, ask the suggest API
  // (session cookie, same origin) and list matching articles. The form works the
  // same without it.
  function kbSuggest() {
    document.querySelectorAll("input[data-kb-suggest]").forEach(function (input) {
      var box = document.getElementById(input.getAttribute("data-kb-target"));
      var list = box ? box.querySelector("ul") : null;
      if (!list) {
        return;
      }
      var api = input.getAttribute("data-kb-suggest");
      var link = input.getAttribute("data-kb-link");
      var timer = null;
      var asked = "";
      function show(hits) {
        while (list.firstChild) {
          list.removeChild(list.firstChild);
        }
        hits.forEach(function (h) {
          var a = document.createElement("a");
          a.href = link + h.id;
          a.target = "_blank";
          a.rel = "noopener";
          a.textContent = h.title;
          var li = document.createElement("li");
          li.appendChild(a);
          list.appendChild(li);
        });
        box.hidden = hits.length === 0;
      }
      function ask() {
        var q = input.value.trim();
        if (q === asked) {
          return;
        }
        asked = q;
        if (q.length < 3) {
          show([]);
          return;
        }
        fetch(api + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) {
            return r.ok ? r.json() : { data: [] };
          })
          .then(function (body) {
            if (q === asked) {
              show(body.data || []);
            }
          })
          .catch(function () {
            show([]);
          });
      }
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(ask, 250);
      });
    });
  }

  // Print buttons (the intervention report): shown only when they can work.
  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        window.print();
      });
    });
  }

  // Canned responses (ticket thread): choosing one writes its text in the form's
  // text box, after what is already typed. Without script the list stays hidden.
  function cannedResponses() {
    document.querySelectorAll("select.canned").forEach(function (sel) {
      var box = sel.closest(".canned-pick");
      if (box) box.hidden = false;
      sel.addEventListener("change", function () {
        var opt = sel.options[sel.selectedIndex];
        var target = document.getElementById(sel.dataset.target);
        if (!opt || !opt.value || !target) return;
        var text = opt.dataset.text || "";
        target.value = target.value.trim() ? target.value.replace(/\s+$/, "") + "\n\n" + text : text;
        target.focus();
        sel.selectedIndex = 0;
      });
    });
  }

  // Tables wider than the screen scroll sideways in their .table-wrap: while one
  // does, it takes the keyboard focus (arrow keys scroll it) and is announced as
  // a region named after its table's caption or the heading above it (WCAG
  // 2.1.1). A table that fits is no tab stop.
  function scrollRegions() {
    var wraps = document.querySelectorAll(".table-wrap");
    if (!wraps.length) {
      return;
    }
    function name(wrap) {
      var caption = wrap.querySelector("caption");
      if (caption && caption.textContent.trim()) {
        return caption.textContent.trim();
      }
      for (var el = wrap; el && el !== document.body; el = el.parentElement) {
        for (var prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
          if (/^H[1-6]$/.test(prev.tagName) && prev.textContent.trim()) {
            return prev.textContent.trim();
          }
        }
      }
      var h1 = document.querySelector("h1");
      return h1 ? h1.textContent.trim() : document.title;
    }
    function update() {
      wraps.forEach(function (wrap) {
        var scrolls = wrap.scrollWidth > wrap.clientWidth + 1 || wrap.scrollHeight > wrap.clientHeight + 1;
        if (scrolls && !wrap.hasAttribute("tabindex")) {
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", name(wrap));
        } else if (!scrolls && wrap.hasAttribute("tabindex")) {
          wrap.removeAttribute("tabindex");
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-label");
        }
      });
    }
    update();
    var pending = 0;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(update, 150);
    });
  }

  onReady(function () {
    scrollRegions();
    kbSuggest();
    cannedResponses();
    printButtons();
    navToggle();
    tableFilters();
    confirmations();
    filterRows();
    selectAll();
    dropdowns();
  });
})();
