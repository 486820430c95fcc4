// Reloads every element with data-refresh-url from that URL every data-refresh-millis, so the
// page stays current without a reload. A failed reload keeps the last figures and says so.
(function () {
  document.querySelectorAll('[data-refresh-url]').forEach(function (element) {
    var url = element.getAttribute('data-refresh-url');
    var millis = parseInt(element.getAttribute('data-refresh-millis'), 10) || 5000;
    var status = document.getElementById(element.getAttribute('data-refresh-status'));
    function reload() {
      fetch(url, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' })
        .then(function (response) {
          if (response.redirected || !response.ok) {
            throw new Error('HTTP ' + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          element.innerHTML = html;
          if (status) {
            status.textContent = 'updated ' + new Date().toLocaleTimeString();
          }
        })
        .catch(function () {
          if (status) {
            status.textContent = 'could not refresh; showing the last figures';
          }
        });
    }
    setInterval(reload, millis);
  });
})();
