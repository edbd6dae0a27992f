(function () {
  var table = document.getElementById("summary");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (header, column) {
    if (!header.dataset.sort) { return; }
    header.addEventListener("click", function () {
      var sorted = Array.prototype.slice.call(body.rows);
      var ascending = header.dataset.direction !== "asc";
      header.dataset.direction = ascending ? "asc" : "desc";
      sorted.sort(function (a, b) {
        var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
        var order = header.dataset.sort === "number" ? Number(x) - Number(y) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      sorted.forEach(function (row) { body.appendChild(row); });
    });
  });
  var verdict = document.getElementById("verdict-filter");
  var review = document.getElementById("review-filter");
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  function apply() {
    var wanted = verdict.value, reviewOnly = review.checked;
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var visible = 0;
    rows.forEach(function (row) {
      var text = row.dataset.search;
      var keep = (!wanted || row.dataset.verdict === wanted) && (!reviewOnly || row.dataset.review === "yes") &&
        words.every(function (word) { return text.indexOf(word) !== -1; });
      row.hidden = !keep;
      if (keep) { visible += 1; }
    });
    shown.textContent = visible + " of " + rows.length + " shown";
  }
  verdict.addEventListener("change", apply);
  review.addEventListener("change", apply);
  search.addEventListener("input", apply);
  document.getElementById("controls").addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
}());
