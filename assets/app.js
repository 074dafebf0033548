// murafiq progressive enhancements. Every page works without this file.
(function () {
  'use strict';
  // Province selects list all provinces grouped by region: show only the chosen region's.
  function linkRegion(regionSel, provSel) {
    function apply() {
      var region = regionSel.value;
      var groups = provSel.querySelectorAll('optgroup');
      for (var i = 0; i < groups.length; i++) {
        var show = !region || groups[i].getAttribute('data-region') === region;
        groups[i].hidden = !show;
        groups[i].disabled = !show;
      }
      var opt = provSel.options[provSel.selectedIndex];
      if (opt && opt.parentNode.tagName === 'OPTGROUP' && opt.parentNode.disabled) provSel.value = '';
    }
    regionSel.addEventListener('change', apply);
    apply();
  }
  // Communes of the chosen province, fetched when the province changes.
  function linkCommunes(provSel, communeSel) {
    provSel.addEventListener('change', function () {
      var first = communeSel.options[0];
      communeSel.length = 0;
      communeSel.appendChild(first);
      if (!provSel.value) return;
      fetch('/geo/communes?province=' + encodeURIComponent(provSel.value), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (list) {
          list.forEach(function (c) {
            var o = document.createElement('option');
            o.value = c.code;
            o.textContent = c.name;
            communeSel.appendChild(o);
          });
        });
    });
  }
  // Rules editor: while a manager changes the rules, count again how many cooperatives pass
  // each rule and all of them (the same form, posted to /calls/N/rules/preview).
  function livePreview(form) {
    var url = form.getAttribute('data-preview-url'), timer = null, seq = 0;
    function cells() { return form.querySelectorAll('[data-preview]'); }
    function run() {
      var mine = ++seq, body = new URLSearchParams(new FormData(form));
      body.delete('action');
      for (var c = cells(), i = 0; i < c.length; i++) c[i].classList.add('stale');
      fetch(url, { method: 'POST', credentials: 'same-origin', body: body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (mine !== seq || !j) return;
          var text = j.text || {};
          for (var c = cells(), i = 0; i < c.length; i++) {
            var key = c[i].getAttribute('data-preview');
            c[i].textContent = j.errors ? '' : (text[key] || '');
            if (key === 'all') c[i].setAttribute('data-count', j.errors ? '-1' : String(j.eligible));
            c[i].classList.remove('stale');
          }
        });
    }
    function later() { clearTimeout(timer); timer = setTimeout(run, 350); }
    form.addEventListener('input', later);
    form.addEventListener('change', later);
  }
  document.addEventListener('DOMContentLoaded', function () {
    var editor = document.querySelector('form.rules-editor[data-preview-url]');
    if (editor && window.fetch && window.URLSearchParams) livePreview(editor);
    var pairs = [['f-region', 'f-province'], ['f-region_code', 'f-province_code']];
    pairs.forEach(function (p) {
      var r = document.getElementById(p[0]), s = document.getElementById(p[1]);
      if (r && s) linkRegion(r, s);
    });
    var prov = document.getElementById('f-province_code'), com = document.getElementById('f-commune_code');
    if (prov && com) linkCommunes(prov, com);
    // The current section stays in sight in the navigation line that scrolls on phones.
    var current = document.querySelector('nav.main [aria-current="page"]');
    if (current && current.parentNode.scrollWidth > current.parentNode.clientWidth)
      current.parentNode.scrollLeft += current.getBoundingClientRect().left -
        current.parentNode.getBoundingClientRect().left - 16;
    var summary = document.querySelector('.error-summary');
    if (summary) summary.focus();
  });
})();
