// Every explorer page: the township list of a filter form follows its county at once (the
// townships of the county chosen, "all" when the one chosen is not in it), no 查询 needed.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-dependent]");
  Array.prototype.forEach.call(forms, function (form) {
    var county = form.querySelector("select[name=county]");
    var township = form.querySelector("select[name=township]");
    if (!county || !township) { return; }
    function follow() {
      var chosen = county.value;
      var groups = township.querySelectorAll("optgroup[data-county]");
      Array.prototype.forEach.call(groups, function (group) {
        var off = !!chosen && group.getAttribute("data-county") !== chosen;
        group.hidden = off;
        group.disabled = off;
      });
      var picked = township.selectedOptions[0];
      if (picked && picked.parentNode.disabled) { township.value = ""; }
    }
    county.addEventListener("change", follow);
    follow();
  });
})();
