// The answer form: keyboard shortcuts, a live sentence count, and a draft kept in this browser so a
// reload, a closed tab or a lost connection loses nothing the agent typed. No inline script (CSP).
(function () {
  "use strict";
  var form = document.querySelector("form.answer-form");
  clearSavedDraft();
  if (!form) return;
  var rationale = form.querySelector("textarea[name=rationale]");
  var counter = form.querySelector("[data-sentence-count] span");
  var draftKey = form.getAttribute("data-draft-key");
  var keys = {
    "1": ["decision", "pass"], "2": ["decision", "block"], "3": ["decision", "escalate"],
    "4": ["label", "TP"], "5": ["label", "TN"], "6": ["label", "FP"], "7": ["label", "FN"],
    "0": ["root_cause", ""], "a": ["root_cause", "A"], "b": ["root_cause", "B"], "c": ["root_cause", "C"]
  };

  // Mirrors app/cases/sentences.py: . ! ? followed by a space or the end, or 。！？ anywhere.
  function countSentences(text) {
    text = (text || "").trim()
      .replace(/\b(e\.g|i\.e|vs|etc|approx)\.(?=\s)/gi, function (m) { return m.slice(0, -1); })
      .replace(/\bno\.(?=\s+\d)/gi, "no");
    if (!text) return 0;
    return text.split(/[.!?]+(?=\s|$)|[。！？]+/).filter(function (p) { return p.trim(); }).length;
  }

  function updateCount() {
    if (!counter) return;
    var n = countSentences(rationale.value);
    counter.textContent = String(n);
    counter.parentNode.classList.toggle("over", n > 3);
  }

  function pick(name, value) {
    var input = form.querySelector("input[name=" + name + "][value='" + value + "']");
    if (input) { input.checked = true; input.focus(); saveDraft(); }
  }

  function typing(target) {
    return target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text"));
  }

  function current() {
    var data = {};
    ["decision", "label", "root_cause"].forEach(function (name) {
      var checked = form.querySelector("input[name=" + name + "]:checked");
      data[name] = checked ? checked.value : null;
    });
    data.rationale = rationale.value;
    return data;
  }

  function saveDraft() {
    try { window.localStorage.setItem(draftKey, JSON.stringify(current())); } catch (e) { /* storage full or off */ }
  }

  function restoreDraft() {
    var raw;
    try { raw = window.localStorage.getItem(draftKey); } catch (e) { return; }
    if (!raw) return;
    var draft = JSON.parse(raw), now = current(), restored = false;
    ["decision", "label", "root_cause"].forEach(function (name) {
      if (draft[name] !== null && draft[name] !== now[name]) {
        var input = form.querySelector("input[name=" + name + "][value='" + draft[name] + "']");
        if (input) { input.checked = true; restored = true; }
      }
    });
    if (draft.rationale && draft.rationale !== rationale.value) { rationale.value = draft.rationale; restored = true; }
    var note = form.querySelector("[data-draft-note]");
    if (restored && note) note.hidden = false;
  }

  function clearSavedDraft() {
    // After a save the server redirects with ?saved=<item id>: that item's draft is safely stored.
    var saved = new URLSearchParams(window.location.search).get("saved");
    if (saved) { try { window.localStorage.removeItem("touchstone-draft-" + saved); } catch (e) { /* ignore */ } }
  }

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") { event.preventDefault(); form.requestSubmit(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key.toLowerCase();
    if (key === "r") { event.preventDefault(); rationale.focus(); return; }
    if (keys[key]) { event.preventDefault(); pick(keys[key][0], keys[key][1]); }
  });
  form.addEventListener("input", function () { updateCount(); saveDraft(); });
  form.addEventListener("change", saveDraft);
  restoreDraft();
  updateCount();
})();

// The SLA clock: time since the case was opened to this reviewer, against the 4-hour limit.
(function () {
  "use strict";
  var clock = document.querySelector("[data-sla-started]");
  if (!clock) return;
  var started = Date.parse(clock.getAttribute("data-sla-started"));
  var limit = Number(clock.getAttribute("data-sla-hours")) * 3600 * 1000;
  var out = clock.querySelector("[data-sla-elapsed]");
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var elapsed = Math.max(0, Date.now() - started);
    var minutes = Math.floor(elapsed / 60000);
    out.textContent = Math.floor(minutes / 60) + ":" + pad(minutes % 60);
    clock.classList.toggle("breached", elapsed > limit);
    clock.classList.toggle("warning", elapsed > limit * 0.75 && elapsed <= limit);
  }
  tick();
  window.setInterval(tick, 30000);
})();
