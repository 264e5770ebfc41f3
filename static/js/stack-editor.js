// The stack-plan editor: move a unit (or part of a split unit) to another floor by dragging it, or by keyboard
// (Tab to a unit, Enter to select it, the arrow keys or the floor list to choose a floor, Enter to move), see the
// week's figures rescored by the server at once, undo, redo and save. Without this script the same page works
// through its move form, one move per request.
(function () {
  "use strict";

  var FIGURES = ["travel_hours_per_week", "vertical_hours_per_week", "vertical_trips_per_week", "people_moved"];

  function copy(layout) {
    var out = {};
    Object.keys(layout).forEach(function (unit) {
      out[unit] = {};
      Object.keys(layout[unit]).forEach(function (place) { out[unit][place] = layout[unit][place]; });
    });
    return out;
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function Editor(root, data) {
    this.root = root;
    this.data = data;
    this.words = data.words;
    this.layout = copy(data.layout);
    this.places = Object.assign({}, data.places);
    this.undoStack = [];
    this.redoStack = [];
    this.selected = null; // {unit, place}
    this.target = null; // a floor name
    this.asked = 0; // the latest score request; older answers are dropped
    this.number = new Intl.NumberFormat(document.documentElement.lang || "en", { maximumFractionDigits: 1 });
    this.rows = root.querySelector(".stack-rows");
    this.live = root.querySelector("[data-live]");
    this.form = root.querySelector("form.move-form");
    this.blockField = this.form.querySelector("[name=block]");
    this.toField = this.form.querySelector("[name=to_floor]");
    this.seatsField = this.form.querySelector("[name=seats]");
    this.undoButton = root.querySelector("button[data-undo]");
    this.redoButton = root.querySelector("button[data-redo]");
    this.saveForm = root.querySelector("form.save-form");
    this.bind();
    this.render();
    if (data.figures) this.showFigures(data.figures, data.violations);
  }

  Editor.prototype.floorOf = function (place) {
    return this.places[place] || place;
  };

  Editor.prototype.floorNames = function () {
    return this.data.floors.map(function (f) { return f.name; });
  };

  // -- drawing ---------------------------------------------------------------------------------------------------

  Editor.prototype.blocksByFloor = function () {
    var self = this, out = {};
    Object.keys(self.data.units).concat(Object.keys(self.layout)).forEach(function (unit) {
      if (out["\u0000" + unit]) return; // each unit once, in the scenario's order
      out["\u0000" + unit] = true;
      var seats = self.layout[unit] || {};
      Object.keys(seats).forEach(function (place) {
        if (seats[place] <= 0) return;
        var floor = self.floorOf(place);
        (out[floor] = out[floor] || []).push({ unit: unit, place: place, floor: floor, seats: seats[place] });
      });
    });
    return out;
  };

  Editor.prototype.render = function () {
    var self = this, blocks = self.blocksByFloor(), words = self.words;
    var most = 1;
    self.data.floors.forEach(function (floor) {
      var used = (blocks[floor.name] || []).reduce(function (n, b) { return n + b.seats; }, 0);
      most = Math.max(most, floor.capacity, used);
    });
    var focused = document.activeElement && document.activeElement.closest && document.activeElement.closest(".unit-block");
    var refocus = focused ? { unit: focused.dataset.unit, floor: focused.dataset.floor } : null;
    self.rows.textContent = "";
    self.data.floors.forEach(function (floor) {
      var parts = blocks[floor.name] || [];
      var used = parts.reduce(function (n, b) { return n + b.seats; }, 0);
      var row = document.createElement("li");
      row.className = "stack-row" + (floor.note ? " " + floor.note : "") + (used > floor.capacity ? " over" : "");
      row.dataset.floor = floor.name;
      if (self.target === floor.name && self.selected) row.classList.add("target");
      var name = document.createElement("span");
      name.className = "floor-name";
      name.textContent = floor.name;
      row.appendChild(name);
      var bar = document.createElement("div");
      bar.className = "bar";
      var track = document.createElement("div");
      track.className = "track";
      track.style.width = (100 * Math.max(floor.capacity, used) / most) + "%";
      parts.forEach(function (part) {
        var unit = self.data.units[part.unit] || { label: part.unit, fill: "#BBBBBB", ink: "#222222" };
        var button = document.createElement("button");
        button.type = "button";
        button.className = "unit-block";
        button.dataset.unit = part.unit;
        button.dataset.place = part.place;
        button.dataset.floor = part.floor;
        // As wide as its seats on the floor's scale (the track is the floor's seats, or its use if more).
        button.style.flexBasis = "calc(" + (100 * part.seats / Math.max(floor.capacity, used, 1)) + "% - 2px)";
        button.style.background = unit.fill;
        button.style.color = unit.ink;
        var selected = self.selected && self.selected.unit === part.unit && self.selected.place === part.place;
        button.setAttribute("aria-pressed", selected ? "true" : "false");
        var label = fill(words.block, { unit: unit.label, seats: part.seats, floor: part.floor });
        button.setAttribute("aria-label", label);
        button.title = label;
        var text = document.createElement("span");
        text.textContent = unit.label;
        text.setAttribute("aria-hidden", "true");
        var count = document.createElement("span");
        count.className = "count";
        count.textContent = String(part.seats);
        count.setAttribute("aria-hidden", "true");
        button.appendChild(text);
        button.appendChild(count);
        track.appendChild(button);
      });
      bar.appendChild(track);
      row.appendChild(bar);
      var seats = document.createElement("span");
      seats.className = "seats";
      var note = used > floor.capacity ? " " + fill(words.over, { n: used - floor.capacity }) : "";
      seats.textContent = used + " / " + floor.capacity + note + (floor.note ? " · " + words[floor.note] : "");
      row.appendChild(seats);
      self.rows.appendChild(row);
    });
    self.syncForm();
    self.undoButton.disabled = !self.undoStack.length;
    self.redoButton.disabled = !self.redoStack.length;
    self.saveForm.querySelector("[name=layout]").value = JSON.stringify(self.layout);
    if (refocus) {
      // The block that had the focus keeps it; gone (undone, moved), the same unit's block elsewhere takes it.
      var again = self.findBlock(refocus.unit, refocus.floor) || self.rows.querySelector(
        '.unit-block[data-unit="' + (window.CSS && CSS.escape ? CSS.escape(refocus.unit) : refocus.unit) + '"]');
      if (again) again.focus();
    }
  };

  Editor.prototype.findBlock = function (unit, floor) {
    var found = null;
    this.rows.querySelectorAll(".unit-block").forEach(function (b) {
      if (!found && b.dataset.unit === unit && b.dataset.floor === floor) found = b;
    });
    return found;
  };

  // The move form mirrors the selection: its unit list is rebuilt from the layout as it is now.
  Editor.prototype.syncForm = function () {
    var self = this, blocks = self.blocksByFloor();
    self.blockField.textContent = "";
    var empty = document.createElement("option");
    empty.value = "";
    empty.textContent = self.words.choose;
    self.blockField.appendChild(empty);
    self.data.floors.forEach(function (floor) {
      (blocks[floor.name] || []).forEach(function (part) {
        var option = document.createElement("option");
        option.value = JSON.stringify([part.unit, part.place]);
        var unit = self.data.units[part.unit] || { label: part.unit };
        option.textContent = fill(self.words.block, { unit: unit.label, seats: part.seats, floor: part.floor });
        self.blockField.appendChild(option);
      });
    });
    if (self.selected) {
      self.blockField.value = JSON.stringify([self.selected.unit, self.selected.place]);
      var seats = (self.layout[self.selected.unit] || {})[self.selected.place] || 0;
      self.seatsField.max = String(seats);
      if (!self.seatsField.value || +self.seatsField.value > seats || +self.seatsField.value < 1) {
        self.seatsField.value = String(seats);
      }
    } else {
      self.blockField.value = "";
    }
    if (self.target) self.toField.value = self.target;
  };

  // -- choosing and moving ---------------------------------------------------------------------------------------

  Editor.prototype.select = function (unit, place, announce) {
    var seats = (this.layout[unit] || {})[place] || 0;
    if (!seats) { this.selected = null; this.target = null; this.render(); return; }
    this.selected = { unit: unit, place: place };
    this.target = this.floorOf(place);
    this.seatsField.value = String(seats);
    this.render();
    if (announce) {
      var label = (this.data.units[unit] || { label: unit }).label;
      this.say(fill(this.words.selected, { unit: label, seats: seats, floor: this.floorOf(place) }));
    }
  };

  Editor.prototype.deselect = function () {
    this.selected = null;
    this.target = null;
    this.render();
  };

  Editor.prototype.step = function (delta) {
    if (!this.selected) return;
    var names = this.floorNames();
    var at = names.indexOf(this.target);
    var next = Math.min(names.length - 1, Math.max(0, at + delta));
    this.target = names[next];
    this.render();
    var floor = this.data.floors[next];
    this.say(fill(this.words.target, { floor: floor.name }));
  };

  Editor.prototype.move = function (unit, place, toFloor, seats) {
    var have = (this.layout[unit] || {})[place] || 0;
    seats = Math.min(have, Math.max(1, Math.floor(seats)));
    var fromFloor = this.floorOf(place);
    if (!have || !seats || fromFloor === toFloor) return false;
    this.undoStack.push({ layout: copy(this.layout), places: Object.assign({}, this.places) });
    this.redoStack = [];
    var next = copy(this.layout);
    next[unit][place] -= seats;
    if (next[unit][place] <= 0) delete next[unit][place];
    next[unit][toFloor] = (next[unit][toFloor] || 0) + seats;
    this.places[toFloor] = toFloor;
    this.layout = next;
    this.selected = { unit: unit, place: toFloor };
    this.target = toFloor;
    this.render();
    var again = this.findBlock(unit, toFloor);
    if (again) again.focus();
    var label = (this.data.units[unit] || { label: unit }).label;
    this.pending = fill(this.words.moved, { unit: label, seats: seats, from: fromFloor, to: toFloor });
    this.say(this.pending);
    this.rescore();
    return true;
  };

  Editor.prototype.undo = function () { this.travel(this.undoStack, this.redoStack, this.words.undone); };
  Editor.prototype.redo = function () { this.travel(this.redoStack, this.undoStack, this.words.redone); };

  Editor.prototype.travel = function (from, to, words) {
    if (!from.length) return;
    to.push({ layout: copy(this.layout), places: Object.assign({}, this.places) });
    var state = from.pop();
    this.layout = state.layout;
    this.places = state.places;
    this.selected = null;
    this.target = null;
    this.render();
    this.pending = words;
    this.say(words);
    this.rescore();
  };

  // -- the figures -----------------------------------------------------------------------------------------------

  Editor.prototype.rescore = function () {
    var self = this, asked = ++self.asked;
    self.root.setAttribute("aria-busy", "true");
    var figures = self.root.querySelector(".editor-figures");
    figures.classList.add("stale");
    fetch(self.data.score_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": self.data.csrf },
      body: JSON.stringify({ layout: self.layout, baseline: self.data.baseline })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (asked !== self.asked) return;
      self.root.removeAttribute("aria-busy");
      figures.classList.remove("stale");
      if (!answer.ok) {
        // A layout that cannot be scored (a floor past its seats, say): the plan shows it, the figures wait.
        figures.classList.add("stale");
        self.blankFigures();
        var detail = (answer.body.errors || []).map(function (e) { return e.message; }).join("; ");
        self.problem(fill(self.words.score_failed, { detail: detail || answer.body.detail || answer.body.title || "" }));
        if (self.pending) self.say(self.pending + " " + fill(self.words.score_failed, { detail: detail }));
        self.pending = "";
        return;
      }
      self.problem("");
      self.showFigures(answer.body, (answer.body.check || {}).violations || answer.body.violations || []);
      var travel = answer.body.travel_hours_per_week;
      var change = travel - self.data.baseline_figures.travel_hours_per_week;
      self.say((self.pending ? self.pending + " " : "") + fill(self.words.travel_now, {
        hours: self.number.format(travel), change: self.signed(change)
      }));
      self.pending = "";
    }).catch(function () {
      if (asked !== self.asked) return;
      self.root.removeAttribute("aria-busy");
      self.problem(fill(self.words.score_failed, { detail: "" }));
    });
  };

  Editor.prototype.signed = function (value) {
    if (Math.abs(value) < 0.05) return "±0";
    return (value > 0 ? "+" : "−") + this.number.format(Math.abs(value));
  };

  Editor.prototype.blankFigures = function () {
    var self = this;
    FIGURES.forEach(function (key) {
      var cell = self.root.querySelector("[data-figure=" + key + "]");
      if (!cell) return;
      cell.querySelector(".value").textContent = "–";
      var shown = cell.querySelector(".change");
      shown.textContent = "–";
      shown.className = "change";
    });
    self.root.querySelector(".violations").textContent = "";
    self.root.querySelector(".all-kept").hidden = true;
  };

  Editor.prototype.showFigures = function (figures, violations) {
    var self = this;
    FIGURES.forEach(function (key) {
      var cell = self.root.querySelector("[data-figure=" + key + "]");
      if (!cell) return;
      var value = figures[key] || 0;
      var base = key === "people_moved" ? 0 : self.data.baseline_figures[key];
      var change = value - base;
      cell.querySelector(".value").textContent = self.number.format(value);
      var shown = cell.querySelector(".change");
      shown.textContent = key === "people_moved" ? self.number.format(value) : self.signed(change);
      shown.className = "change " + (Math.abs(change) < 0.05 ? "same" : change < 0 ? "better" : "worse");
      if (key === "people_moved") shown.className = "change";
    });
    var list = self.root.querySelector(".violations");
    list.textContent = "";
    violations.forEach(function (v) {
      var item = document.createElement("li");
      item.textContent = self.violation(v);
      list.appendChild(item);
    });
    self.root.querySelector(".all-kept").hidden = violations.length > 0;
  };

  Editor.prototype.violation = function (v) {
    var self = this, template = self.words["violation_" + v.kind];
    if (!template) return v.text || v.kind;
    var label = function (u) { return self.data.labels[u] || u; };
    var list = self.words.list_separator;
    return fill(template, {
      unit: label(v.units[0]), other: v.units[1] ? label(v.units[1]) : "",
      floors: v.floors.join(list), allowed: (v.allowed || []).join(list), limit: v.limit, count: v.floors.length
    });
  };

  Editor.prototype.problem = function (text) {
    var box = this.root.querySelector("[data-problem]");
    box.textContent = text;
    box.hidden = !text;
  };

  Editor.prototype.say = function (text) {
    // A live region announces a change of its text: clear it first so that the same words are said again.
    var live = this.live;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 30);
  };

  // -- events ----------------------------------------------------------------------------------------------------

  Editor.prototype.bind = function () {
    var self = this;
    self.root.classList.add("scripted");
    self.undoButton.hidden = false;
    self.redoButton.hidden = false;
    self.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = self.blockField.value ? JSON.parse(self.blockField.value) : null;
      if (!chosen) { self.say(self.words.choose_first); return; }
      if (!self.move(chosen[0], chosen[1], self.toField.value, +self.seatsField.value || 0)) {
        self.say(self.words.same_floor);
      }
    });
    self.blockField.addEventListener("change", function () {
      var chosen = self.blockField.value ? JSON.parse(self.blockField.value) : null;
      if (chosen) self.select(chosen[0], chosen[1], false); else self.deselect();
    });
    self.toField.addEventListener("change", function () {
      self.target = self.toField.value;
      if (self.selected) self.render();
    });
    self.undoButton.addEventListener("click", function () { self.undo(); });
    self.redoButton.addEventListener("click", function () { self.redo(); });
    document.addEventListener("keydown", function (event) {
      var z = event.key === "z" || event.key === "Z";
      if ((event.ctrlKey || event.metaKey) && (z || event.key === "y")) {
        if (event.target.closest && event.target.closest("input, select, textarea")) return;
        event.preventDefault();
        if (event.key === "y" || event.shiftKey) self.redo(); else self.undo();
      }
    });
    self.rows.addEventListener("keydown", function (event) {
      var block = event.target.closest(".unit-block");
      if (!block) return;
      var isSelected = self.selected && self.selected.unit === block.dataset.unit && self.selected.place === block.dataset.place;
      if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        if (!isSelected) return;
        event.preventDefault();
        self.step(event.key === "ArrowUp" ? -1 : 1);
      } else if (event.key === "Escape" && self.selected) {
        event.preventDefault();
        self.deselect();
        self.say(self.words.deselected);
      } else if ((event.key === "Enter" || event.key === " ") && isSelected && self.target !== block.dataset.floor) {
        event.preventDefault();
        self.move(block.dataset.unit, block.dataset.place, self.target, +self.seatsField.value || 0);
      }
    });
    self.rows.addEventListener("click", function (event) {
      var block = event.target.closest(".unit-block");
      if (!block || self.dragged) return;
      var isSelected = self.selected && self.selected.unit === block.dataset.unit && self.selected.place === block.dataset.place;
      if (isSelected && self.target === block.dataset.floor) { self.deselect(); self.say(self.words.deselected); }
      else if (!isSelected) self.select(block.dataset.unit, block.dataset.place, true);
    });
    self.bindDrag();
  };

  // Dragging with pointer events (mouse, pen and touch alike): a block follows the pointer and the floor under it
  // is marked; letting go there moves the whole block.
  Editor.prototype.bindDrag = function () {
    var self = this, drag = null;
    function rowAt(x, y) {
      var hit = document.elementFromPoint(x, y);
      return hit && hit.closest ? hit.closest(".stack-row") : null;
    }
    function clear() {
      self.rows.querySelectorAll(".stack-row.drop").forEach(function (r) { r.classList.remove("drop"); });
    }
    self.rows.addEventListener("pointerdown", function (event) {
      var block = event.target.closest(".unit-block");
      if (!block || event.button !== 0) return;
      drag = { block: block, x: event.clientX, y: event.clientY, ghost: null, id: event.pointerId };
      self.dragged = false;
    });
    self.rows.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) return;
      if (!drag.ghost) {
        if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 6) return;
        drag.block.setPointerCapture(event.pointerId);
        drag.ghost = drag.block.cloneNode(true);
        drag.ghost.className = "unit-block ghost";
        drag.ghost.setAttribute("aria-hidden", "true");
        drag.ghost.style.width = drag.block.getBoundingClientRect().width + "px";
        document.body.appendChild(drag.ghost);
        drag.block.classList.add("dragging");
        self.dragged = true;
      }
      event.preventDefault();
      // Near the top or bottom of the window, scroll: the floor wanted may be out of sight (a phone shows few).
      var edge = 48;
      if (event.clientY < edge) window.scrollBy(0, -16);
      else if (event.clientY > window.innerHeight - edge) window.scrollBy(0, 16);
      drag.ghost.style.left = event.clientX - 12 + "px";
      drag.ghost.style.top = event.clientY - 12 + "px";
      clear();
      var row = rowAt(event.clientX, event.clientY);
      if (row) row.classList.add("drop");
    });
    function finish(event, cancelled) {
      if (!drag || event.pointerId !== drag.id) return;
      var current = drag;
      drag = null;
      clear();
      if (!current.ghost) return;
      current.ghost.remove();
      current.block.classList.remove("dragging");
      var row = cancelled ? null : rowAt(event.clientX, event.clientY);
      var block = current.block;
      if (row && row.dataset.floor !== block.dataset.floor) {
        var seats = (self.layout[block.dataset.unit] || {})[block.dataset.place] || 0;
        self.move(block.dataset.unit, block.dataset.place, row.dataset.floor, seats);
      }
      window.setTimeout(function () { self.dragged = false; }, 0);
    }
    self.rows.addEventListener("pointerup", function (event) { finish(event, false); });
    self.rows.addEventListener("pointercancel", function (event) { finish(event, true); });
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-stack-editor]");
    var source = document.getElementById("stack-data");
    if (!root || !source || !window.fetch) return;
    root.editor = new Editor(root, JSON.parse(source.textContent));
  });
})();
