/*
 * The JSON Schema editor: a textarea (`[data-json-editor]`) with line numbers beside it and a
 * live check of the JSON as it is typed. Without JavaScript it is a plain textarea; the server
 * checks the JSON either way.
 */
(function () {
  "use strict";

  /** "line 3, column 7" for a character offset into `text`. */
  function place(text, offset) {
    const before = text.slice(0, offset).split("\n");
    return "line " + before.length + ", column " + (before[before.length - 1].length + 1);
  }

  /** What is wrong with `text` as JSON, in words, or "" when it parses. */
  function problem(text) {
    try {
      JSON.parse(text);
      return "";
    } catch (error) {
      const at = /position (\d+)/.exec(error.message);
      const where = at ? " at " + place(text, Number(at[1])) : "";
      return "Not valid JSON yet" + where + ": " + error.message.replace(/^JSON\.parse: /, "") + ".";
    }
  }

  function enhance(textarea) {
    const frame = document.createElement("div");
    frame.className = "json-editor";
    const gutter = document.createElement("pre");
    gutter.className = "json-editor__lines";
    gutter.setAttribute("aria-hidden", "true");
    const status = document.createElement("p");
    status.className = "json-editor__status";
    status.id = textarea.id + "_status";
    status.setAttribute("aria-live", "polite");
    textarea.parentNode.insertBefore(frame, textarea);
    frame.append(gutter, textarea);
    frame.after(status);
    textarea.wrap = "off";
    const described = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", (described ? described + " " : "") + status.id);

    let lines = 0;
    function update() {
      const count = textarea.value.split("\n").length;
      if (count !== lines) {
        lines = count;
        gutter.textContent = Array.from({ length: count }, (_, i) => i + 1).join("\n");
      }
      gutter.scrollTop = textarea.scrollTop;
      const wrong = problem(textarea.value);
      status.textContent = wrong || "Valid JSON.";
      status.classList.toggle("json-editor__status--wrong", Boolean(wrong));
    }
    textarea.addEventListener("input", update);
    textarea.addEventListener("scroll", function () {
      gutter.scrollTop = textarea.scrollTop;
    });
    update();
  }

  function enhanceAll(root) {
    root.querySelectorAll("textarea[data-json-editor]").forEach(function (textarea) {
      if (!textarea.closest(".json-editor")) enhance(textarea);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
  });
  document.addEventListener("htmx:afterSwap", function () {
    enhanceAll(document); // a form re-rendered with errors
  });
})();
