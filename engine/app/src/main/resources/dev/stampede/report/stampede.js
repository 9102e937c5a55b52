/*
 * Stampede: renders a run view (the JSON of dev.stampede.report.RunView) into the page: summary,
 * statistics, charts (uPlot), failures, task errors, listeners and KPI verdicts. Used by the
 * self-contained HTML report and by the live web page, which calls render() once a second.
 * Every string from the run goes into the page through textContent, never as HTML.
 */
(function () {
  'use strict';

  var COLORS = ['#2b6cb0', '#c53030', '#2f855a', '#b7791f', '#6b46c1', '#00838f', '#d53f8c', '#4a5568', '#dd6b20', '#38a169'];
  /** uPlot instances by chart name; tests read their data through window.stampedeCharts. */
  var charts = {};
  var signatures = {};

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (cls) {
      e.className = cls;
    }
    return e;
  }

  function fmt(value, digits) {
    if (value === undefined || value === null || (typeof value === 'number' && !isFinite(value))) {
      return '';
    }
    return Number(value).toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 2 : digits });
  }

  function utc(iso) {
    if (!iso) {
      return '';
    }
    return new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function duration(seconds) {
    if (seconds === undefined || seconds === null) {
      return '';
    }
    var s = Math.round(seconds);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = s % 60;
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + rest + 's';
  }

  function row(cells) {
    var tr = document.createElement('tr');
    cells.forEach(function (cell) {
      var td = el('td', cell.text, cell.cls);
      tr.appendChild(td);
    });
    return tr;
  }

  function fillBody(table, rows, columns, emptyText) {
    var body = table.tBodies[0];
    body.replaceChildren();
    if (!rows || rows.length === 0) {
      var tr = document.createElement('tr');
      tr.className = 'empty';
      var td = el('td', emptyText);
      td.colSpan = columns;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (cells) {
      body.appendChild(row(cells));
    });
  }

  function renderSummary(view) {
    var run = view.run || {};
    var dl = document.getElementById('summary');
    if (!dl) {
      return;
    }
    var items = [];
    if (run.run_id) {
      items.push(['Run id', run.run_id]);
    }
    if (run.started_at) {
      items.push(['Started', utc(run.started_at)]);
    }
    if (run.statistics_from && run.statistics_from !== run.started_at) {
      // After a warm-up or a reset the statistics, and the duration, count from later.
      items.push(['Statistics from', utc(run.statistics_from)]);
    }
    if (run.finished_at) {
      items.push(['Finished', utc(run.finished_at)]);
    }
    if (run.duration_s !== undefined) {
      items.push([view.live ? 'Running for' : 'Duration', duration(run.duration_s)]);
    }
    if (view.live) {
      items.push(['Users now', fmt(run.users, 0)]);
    }
    if (run.peak_users !== undefined) {
      items.push(['Peak users', fmt(run.peak_users, 0)]);
    }
    items.push(['Target host', run.host || '(set by the scenario)']);
    if (run.instance) {
      items.push(['Load generator', run.instance]);
    }
    if (run.scenario) {
      items.push(['Scenario', run.scenario]);
    }
    var tags = run.tags || {};
    var tagText = Object.keys(tags).map(function (k) { return k + '=' + tags[k]; }).join(', ');
    items.push(['Tags', tagText || '(none)']);
    if (run.dropped_iterations) {
      items.push(['Dropped iterations', fmt(run.dropped_iterations, 0)]);
    }
    if (run.cancelled_at_stop) {
      // As the text summary says it: these are in no count of requests, failures or latencies.
      items.push(['Cancelled at stop', fmt(run.cancelled_at_stop, 0) + ' (in flight when the run ended; neither'
        + ' successes nor failures, not in the latencies; --stop-timeout lets them finish)']);
    }
    if (run.interrupted) {
      items.push(['Ended', 'interrupted']);
    }
    if (run.aborted) {
      items.push(['Aborted', run.aborted]);
    }
    dl.replaceChildren();
    items.forEach(function (item) {
      dl.appendChild(el('dt', item[0]));
      dl.appendChild(el('dd', item[1]));
    });
  }

  function statsCells(s, view) {
    var cells = [
      { text: s.method }, { text: s.name, cls: 'wrap' },
      { text: fmt(s.count, 0), cls: 'num' }, { text: fmt(s.failures, 0), cls: 'num' },
      { text: fmt(s.error_rate, 2) + '%', cls: 'num' },
      { text: fmt(view.live ? s.current_rps : s.rps, 2), cls: 'num' },
      { text: fmt(view.live ? s.current_fps : (view.run && view.run.duration_s ? s.failures / view.run.duration_s : 0), 2), cls: 'num' },
      { text: fmt(s.mean, 1), cls: 'num' }, { text: fmt(s.min, 1), cls: 'num' }, { text: fmt(s.max, 1), cls: 'num' },
      { text: fmt(s.bytes_mean, 0), cls: 'num' }
    ];
    (s.p || []).forEach(function (v) {
      cells.push({ text: fmt(v, 1), cls: 'num' });
    });
    return cells;
  }

  function renderStats(view) {
    var table = document.getElementById('stats');
    if (!table) {
      return;
    }
    var labels = view.percentiles || [];
    var head = ['Type', 'Name', 'Requests', 'Fails', 'Fail %', view.live ? 'Current RPS' : 'RPS',
      view.live ? 'Current failures/s' : 'Failures/s', 'Avg (ms)', 'Min (ms)', 'Max (ms)', 'Avg size (B)']
      .concat(labels.map(function (l) { return l + ' (ms)'; }));
    var tr = document.createElement('tr');
    head.forEach(function (h, i) {
      tr.appendChild(el('th', h, i >= 2 ? 'num' : null));
    });
    table.tHead.replaceChildren(tr);
    var rows = (view.stats || []).map(function (s) { return statsCells(s, view); });
    fillBody(table, rows, head.length, 'No requests yet.');
    var foot = table.tFoot;
    foot.replaceChildren();
    if (view.total && view.stats && view.stats.length) {
      foot.appendChild(row(statsCells(view.total, view)));
    }
  }

  function chartWidth(container) {
    return Math.max(320, (container.clientWidth || 600) - 4);
  }

  /** Creates the chart, or feeds it new data when its series are unchanged. */
  function chart(name, signature, makeOptions, data) {
    var container = document.getElementById('chart-' + name);
    if (!container || typeof uPlot === 'undefined') {
      return;
    }
    if (charts[name] && signatures[name] === signature) {
      charts[name].setData(data);
      return;
    }
    if (charts[name]) {
      charts[name].destroy();
    }
    var options = makeOptions();
    options.width = chartWidth(container);
    options.height = 260;
    charts[name] = new uPlot(options, data, container);
    signatures[name] = signature;
  }

  function line(label, color, extra) {
    var s = { label: label, stroke: color, width: 2, spanGaps: false, points: { show: false } };
    return Object.assign(s, extra || {});
  }

  function renderCharts(view) {
    var h = view.history || { t: [], users: [], rps: [], fps: [], p50: [], p95: [], p99: [] };
    chart('rps', 'rps', function () {
      return {
        title: 'Requests/s and failures/s', scales: { x: { time: true } },
        series: [{}, line('Requests/s', COLORS[0], { value: function (u, v) { return fmt(v, 1); } }),
          line('Failures/s', COLORS[1], { value: function (u, v) { return fmt(v, 1); } })],
        axes: [{}, { label: 'per second', size: 60 }]
      };
    }, [h.t, h.rps, h.fps]);
    // A history without percentiles per second (a merge of shards) gets no empty chart but a line saying why.
    var noPercentiles = h.percentiles === false;
    var rtContainer = document.getElementById('chart-rt');
    var rtAbsent = document.getElementById('chart-rt-absent');
    if (rtContainer) {
      rtContainer.hidden = noPercentiles;
    }
    if (rtAbsent) {
      rtAbsent.hidden = !noPercentiles;
    }
    if (noPercentiles) {
      if (charts.rt) {
        charts.rt.destroy();
        delete charts.rt;
        delete signatures.rt;
      }
    } else {
      chart('rt', 'rt', function () {
        return {
          title: 'Response time (ms): p50, p95, p99', scales: { x: { time: true } },
          series: [{}, line('p50', COLORS[2]), line('p95', COLORS[3]), line('p99', COLORS[1])],
          axes: [{}, { label: 'ms', size: 60 }]
        };
      }, [h.t, h.p50, h.p95, h.p99]);
    }
    chart('users', 'users', function () {
      return {
        title: 'Users', scales: { x: { time: true } },
        series: [{}, line('Users', COLORS[4], { fill: 'rgba(107,70,193,0.12)' })],
        axes: [{}, { label: 'users', size: 60 }]
      };
    }, [h.t, h.users]);

    // Response-time distribution: for each endpoint (the ten busiest), its response time at every
    // reported percentile, so a long tail shows as a steep end of its line.
    var labels = view.percentiles || [];
    var endpoints = (view.stats || []).slice().sort(function (a, b) { return b.count - a.count; }).slice(0, COLORS.length);
    var xs = labels.map(function (_, i) { return i; });
    var data = [xs].concat(endpoints.map(function (s) { return s.p; }));
    var signature = 'dist|' + endpoints.map(function (s) { return s.method + ' ' + s.name; }).join('\n');
    chart('dist', signature, function () {
      return {
        title: 'Response time by percentile, per endpoint (ms)',
        scales: { x: { time: false, range: [0, Math.max(1, labels.length - 1)] } },
        series: [{ label: 'percentile', value: function (u, v) { return v === null || v === undefined ? '' : labels[v]; } }]
          .concat(endpoints.map(function (s, i) {
            return { label: (s.method ? s.method + ' ' : '') + s.name, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true, size: 5 } };
          })),
        axes: [{
          splits: function () { return xs; },
          values: function (u, splits) { return splits.map(function (i) { return labels[i] === undefined ? '' : labels[i]; }); }
        }, { label: 'ms', size: 60 }]
      };
    }, data);
  }

  function renderFailures(view) {
    var table = document.getElementById('failures');
    if (table) {
      fillBody(table, (view.failures || []).map(function (f) {
        return [{ text: f.method }, { text: f.name, cls: 'wrap' }, { text: f.error, cls: 'wrap' }, { text: fmt(f.occurrences, 0), cls: 'num' }];
      }), 4, 'No failures.');
    }
    var errors = document.getElementById('task-errors');
    if (errors) {
      fillBody(errors, (view.task_errors || []).map(function (e) {
        return [{ text: e.task, cls: 'wrap' }, { text: fmt(e.count, 0), cls: 'num' }];
      }), 2, 'No task threw an exception.');
    }
    var listeners = document.getElementById('listeners');
    if (listeners) {
      fillBody(listeners, (view.listeners || []).map(function (l) {
        var details = Object.keys(l.details || {}).map(function (k) { return k + '=' + l.details[k]; }).join(', ');
        return [{ text: l.name }, { text: fmt(l.accepted, 0), cls: 'num' }, { text: fmt(l.delivered, 0), cls: 'num' },
          { text: fmt(l.dropped, 0), cls: 'num' }, { text: fmt(l.failed, 0), cls: 'num' }, { text: details, cls: 'wrap' }];
      }), 6, view.live ? 'Shown when the run has finished.' : 'No listener was configured.');
    }
    var kpiSection = document.getElementById('kpi-section');
    var kpis = view.kpis || [];
    if (kpiSection) {
      kpiSection.hidden = kpis.length === 0;
      fillBody(document.getElementById('kpis'), kpis.map(function (k) {
        return [{ text: k.name, cls: 'wrap' }, { text: k.measured }, { text: k.bound },
          { text: k.status.replace('_', ' ').toLowerCase(), cls: k.status }, { text: k.message, cls: 'wrap' }];
      }), 5, '');
    }
  }

  function render(view) {
    var state = document.getElementById('state');
    if (state) {
      state.textContent = view.state || '';
      state.className = 'state ' + (view.state || '');
    }
    renderSummary(view);
    renderStats(view);
    renderCharts(view);
    renderFailures(view);
  }

  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (name) {
      var container = document.getElementById('chart-' + name);
      if (container) {
        charts[name].setSize({ width: chartWidth(container), height: 260 });
      }
    });
  });

  window.stampedeCharts = charts;
  window.Stampede = { render: render };
}());
