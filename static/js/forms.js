/*
 * Forms in the browser: rows added and removed without a round trip, secrets kept across a
 * form re-render, and focus on what the user works on.
 *
 * Row lists (templates/includes/rows.html, a new connection's credentials) are Django
 * formsets: a `[data-rows=<prefix>]` box holds the rows (`[data-row]`), a <template> with an
 * empty row whose names say `__prefix__`, and the formset's TOTAL_FORMS input. Without
 * JavaScript the "Add" buttons are submits the server answers with one more row; here they add
 * the row in place, so nothing typed goes to the server and back.
 *
 * Secrets (password inputs, `[data-secret]` textareas, file inputs) are never rendered by the
 * server. When htmx re-renders a form with errors, what was typed into them is carried over
 * from the old form to the new one, in the browser only.
 *
 * A select whose options htmx swaps in (the Credentials page's Connector filter loads them
 * when first reached for) keeps the choice it has when they arrive: the user may have moved
 * through the old options meanwhile, and the options mark the choice the request carried.
 */
(function () {
  "use strict";

  const SECRETS = "input[type=password], textarea[data-secret], input[type=file]";
  const FOCUSABLE = "input:not([type=hidden]), select, textarea, button";

  function box(prefix, from) {
    const scope = from.closest("form") || document;
    return scope.querySelector('[data-rows="' + CSS.escape(prefix) + '"]');
  }

  function totalInput(rows) {
    return rows.closest("form").querySelector('input[name="' + CSS.escape(rows.dataset.rows) + '-TOTAL_FORMS"]');
  }

  /** Give each row of `rows` its position: names and ids `<prefix>-<i>-…`, numbers i + 1. */
  function renumber(rows) {
    const pattern = new RegExp("(?<![A-Za-z0-9])" + rows.dataset.rows + "-(\\d+|__prefix__)-", "g");
    const items = rows.querySelectorAll("[data-row]");
    items.forEach(function (row, index) {
      const replacement = rows.dataset.rows + "-" + index + "-";
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (node) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
          const value = node.getAttribute(attribute);
          if (value) node.setAttribute(attribute, value.replace(pattern, replacement));
        });
      });
      row.querySelectorAll("[data-row-number]").forEach(function (node) {
        node.textContent = String(index + 1);
      });
    });
    totalInput(rows).value = String(items.length);
  }

  function addRow(button) {
    const rows = box(button.dataset.addRow, button);
    const template = rows && rows.querySelector("template[data-row-template]");
    if (!template) return false;
    const row = template.content.firstElementChild.cloneNode(true);
    rows.querySelector("[data-row-list]").append(row);
    renumber(rows);
    showScripted(row);
    const first = row.querySelector(FOCUSABLE);
    if (first) first.focus();
    return true;
  }

  function removeRow(button) {
    const row = button.closest("[data-row]");
    const rows = row.closest("[data-rows]");
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber(rows);
    // Focus the neighbouring row, or the "Add" button once the list is empty.
    const target = (next && next.querySelector(FOCUSABLE)) ||
      rows.closest("form").querySelector('[data-add-row="' + CSS.escape(rows.dataset.rows) + '"]');
    if (target) target.focus();
  }

  /** Controls that only work with JavaScript are hidden until it runs; their no-JS
   * counterparts (e.g. "Remove this credential" boxes) are hidden once it does. */
  function showScripted(root) {
    root.querySelectorAll("[data-scripted]").forEach(function (node) {
      node.hidden = false;
    });
    root.querySelectorAll("[data-unscripted]").forEach(function (node) {
      node.hidden = true;
    });
  }

  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add-row]");
    if (add && addRow(add)) {
      event.preventDefault();
      return;
    }
    const remove = event.target.closest("[data-remove-row]");
    if (remove) {
      event.preventDefault();
      removeRow(remove);
    }
  });

  // --- Secrets survive a re-rendered form --------------------------------------------------

  let kept = null; // {formId, values: {name: value or FileList}}

  document.addEventListener("htmx:beforeSwap", function (event) {
    const form = event.detail.target && event.detail.target.closest("form[id]");
    kept = null;
    if (!form) return;
    const values = {};
    form.querySelectorAll(SECRETS).forEach(function (input) {
      if (!input.name) return;
      if (input.type === "file") {
        if (input.files.length) values[input.name] = input.files;
      } else if (input.value) {
        values[input.name] = input.value;
      }
    });
    kept = { formId: form.id, values: values };
  });

  function restoreSecrets(form, values) {
    form.querySelectorAll(SECRETS).forEach(function (input) {
      const value = values[input.name];
      if (value === undefined) return;
      if (input.type === "file") {
        input.files = value;
      } else if (!input.value) {
        input.value = value;
      }
      const note = input.closest(".field") && input.closest(".field").querySelector("[data-reenter]");
      if (note) note.remove(); // the secret is still there: nothing to re-enter
    });
  }

  // --- A select keeps its choice across new options --------------------------------------

  const chosen = new WeakMap(); // select -> its selected <option> just before the swap

  document.addEventListener("htmx:beforeSwap", function (event) {
    const select = event.detail.target;
    if (select instanceof HTMLSelectElement && select.selectedOptions.length) {
      chosen.set(select, select.selectedOptions[0]);
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const select = event.detail.target;
    const option = chosen.get(select);
    if (!option) return;
    chosen.delete(select);
    const same = Array.from(select.options).find(function (node) {
      return node.value === option.value;
    });
    // Kept even if the new options lack it (they could not all be listed); no change event:
    // the form has already asked for this choice's results.
    (same || select.appendChild(option)).selected = true;
  });

  // --- Focus -------------------------------------------------------------------------------

  /** The first error in `root`: an invalid field, else a box of errors about the whole form. */
  function focusFirstError(root) {
    const field = root.querySelector('[aria-invalid="true"]');
    const summary = root.querySelector(".form-errors, .field__errors");
    const target = field || summary;
    if (!target) return false;
    if (!field) target.setAttribute("tabindex", "-1");
    target.focus();
    return true;
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    showScripted(document);
    // With hx-swap="outerHTML" the form is a new element: find it again by its id.
    const form = kept && document.getElementById(kept.formId);
    if (form) {
      restoreSecrets(form, kept.values);
      if (event.detail.xhr.status === 422) focusFirstError(form);
    }
    kept = null;
  });

  document.addEventListener("DOMContentLoaded", function () {
    showScripted(document);
    // A form posted without htmx and shown again with its errors.
    const form = document.querySelector("main form[method=post] [aria-invalid=true]");
    if (form) focusFirstError(form.closest("form"));
  });
})();
