/*
 * Stampede live page: polls api/state once a second and renders it with Stampede.render; the
 * start form, stop and reset buttons POST to api/start, api/stop and api/reset with the
 * X-Stampede header the server requires.
 */
(function () {
  'use strict';

  var POLL_MILLIS = 1000;
  var form = document.getElementById('start-form');
  var errorBox = document.getElementById('error');
  var startButton = document.getElementById('start');
  var stopButton = document.getElementById('stop');
  var resetButton = document.getElementById('reset');
  var downloads = document.getElementById('downloads');
  var formFilled = false;
  var polls = 0;

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function hideError() {
    errorBox.textContent = '';
    errorBox.hidden = true;
  }

  function post(path, body) {
    return fetch(path, {
      method: 'POST', cache: 'no-store',
      headers: { 'X-Stampede': '1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body || ''
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) {
          throw new Error(json.error || ('the server answered ' + response.status));
        }
        return json;
      });
    });
  }

  function fillForm(defaults) {
    ['users', 'spawn_rate', 'host', 'run_time'].forEach(function (name) {
      var input = document.getElementById(name);
      if (input && defaults[name] !== undefined) {
        input.value = String(defaults[name]);
      }
    });
    formFilled = true;
  }

  function apply(view) {
    if (!formFilled && view.defaults) {
      fillForm(view.defaults);
    }
    var busy = view.state === 'starting' || view.state === 'running' || view.state === 'stopping';
    startButton.disabled = busy;
    stopButton.disabled = !(view.state === 'running');
    // Reset starts a running test's statistics afresh, or clears the page after a run.
    resetButton.disabled = view.state === 'idle' || view.state === 'starting' || view.state === 'stopping';
    downloads.className = 'downloads' + (view.downloads ? '' : ' off');
    if (view.error && view.state === 'failed') {
      showError(view.error);
    }
    Stampede.render(view);
    polls++;
    document.body.dataset.polls = String(polls);
  }

  function poll() {
    return fetch('api/state', { cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(apply)
      .catch(function () {
        var state = document.getElementById('state');
        state.textContent = 'disconnected';
        state.className = 'state failed';
      });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    hideError();
    post('api/start', new URLSearchParams(new FormData(form)).toString())
      .then(apply)
      .catch(function (e) { showError(e.message); });
  });
  stopButton.addEventListener('click', function () {
    post('api/stop').then(apply).catch(function (e) { showError(e.message); });
  });
  resetButton.addEventListener('click', function () {
    hideError();
    post('api/reset').then(apply).catch(function (e) { showError(e.message); });
  });

  poll();
  setInterval(poll, POLL_MILLIS);
}());
