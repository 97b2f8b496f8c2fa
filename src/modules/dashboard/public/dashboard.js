/* Handoff supervisor dashboard: reads the stats API with a supervisor key kept in sessionStorage. */
(function () {
  'use strict';
  var KEY = 'handoff.supervisorKey';
  var REFRESH_MS = 30000;
  var DAY = 86400000;
  var PRIORITY_COLOURS = { urgent: '#dc2626', high: '#f59e0b', normal: '#2563eb', low: '#64748b' };
  var charts = {};
  var timer = null;

  function $(id) { return document.getElementById(id); }

  function api(path) {
    return fetch(path, { headers: { authorization: 'Bearer ' + sessionStorage.getItem(KEY) } }).then(function (res) {
      if (res.status === 401 || res.status === 403) { signOut('That key is not a supervisor key.'); throw new Error('unauthorised'); }
      if (!res.ok) throw new Error(path + ' answered ' + res.status);
      return res.json();
    });
  }

  function draw(id, config) {
    if (charts[id]) {
      charts[id].data = config.data;
      charts[id].update();
      return;
    }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new Chart($(id), config);
  }

  function duration(s) {
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.round(s / 60) + ' min';
    if (s < 172800) return (s / 3600).toFixed(1) + ' h';
    return Math.round(s / 86400) + ' d';
  }

  function render(data) {
    var sla = data.byRoute, q = sla.queue;
    $('tile-waiting').textContent = String(q.humanWaiting);
    $('tile-oldest').textContent = q.humanWaiting ? duration(q.oldestWaitingSeconds) : '–';
    $('tile-containment').textContent = sla.ai.containmentRate === null ? '–' : Math.round(sla.ai.containmentRate * 100) + ' %';
    $('tile-breaches').textContent = data.breaches.items.filter(function (i) { return i.breached; }).length + (data.breaches.nextCursor ? '+' : '');

    var days = [], byKey = {};
    data.trend.points.forEach(function (p) {
      var day = p.start.slice(0, 10);
      if (days.indexOf(day) < 0) days.push(day);
      (byKey[p.key] = byKey[p.key] || {})[day] = p.firstResponse.attainment === null ? null : Math.round(p.firstResponse.attainment * 1000) / 10;
    });
    draw('chart-attainment', {
      type: 'line',
      data: {
        labels: days,
        datasets: ['urgent', 'high', 'normal', 'low'].filter(function (k) { return byKey[k]; }).map(function (k) {
          return { label: k, data: days.map(function (d) { return byKey[k][d] === undefined ? null : byKey[k][d]; }), borderColor: PRIORITY_COLOURS[k], backgroundColor: PRIORITY_COLOURS[k], spanGaps: true, tension: 0 };
        }),
      },
      options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '% on time' } } } },
    });

    var prios = ['urgent', 'high', 'normal', 'low'];
    draw('chart-queue', {
      type: 'bar',
      data: { labels: prios, datasets: [{ label: 'waiting', data: prios.map(function (p) { return q.byPriority[p] || 0; }), backgroundColor: prios.map(function (p) { return PRIORITY_COLOURS[p]; }) }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });

    var routes = {};
    sla.groups.forEach(function (g) { routes[g.key] = g.tickets; });
    draw('chart-route', {
      type: 'doughnut',
      data: { labels: ['AI', 'People'], datasets: [{ data: [routes.ai || 0, routes.human || 0], backgroundColor: ['#8b5cf6', '#10b981'] }] },
    });

    var reasons = Object.keys(sla.escalationReasons).sort(function (a, b) { return sla.escalationReasons[b] - sla.escalationReasons[a]; });
    draw('chart-reasons', {
      type: 'bar',
      data: { labels: reasons, datasets: [{ label: 'decisions', data: reasons.map(function (r) { return sla.escalationReasons[r]; }), backgroundColor: '#0ea5e9' }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });

    var groups = data.fairness.groups;
    var lowest = groups.map(function (g) {
      var rs = [g.ratios.aiShare, g.ratios.escalatedAfterAi, g.ratios.firstResponseP50].filter(function (v) { return v !== null; });
      return rs.length ? Math.min.apply(null, rs) : null;
    });
    draw('chart-fairness', {
      data: {
        labels: groups.map(function (g) { return g.key + (g.smallSample ? ' (n=' + g.tickets + ')' : ''); }),
        datasets: [
          { type: 'bar', label: 'lowest ratio', data: lowest, backgroundColor: groups.map(function (g) { return g.flagged ? '#dc2626' : g.smallSample ? '#cbd5e1' : '#22c55e'; }) },
          { type: 'line', label: 'four-fifths line', data: groups.map(function () { return data.fairness.threshold; }), borderColor: '#111827', borderDash: [6, 4], pointRadius: 0 },
        ],
      },
      options: { scales: { y: { min: 0, max: 1.05 } } },
    });

    var agents = data.byAgent.groups.filter(function (g) { return g.agent; });
    draw('chart-agents', {
      type: 'bar',
      data: {
        labels: agents.map(function (g) { return g.agent.name; }),
        datasets: [
          { label: 'tickets held', data: agents.map(function (g) { return g.agent.load; }), backgroundColor: '#2563eb' },
          { label: 'capacity', data: agents.map(function (g) { return g.agent.capacity; }), backgroundColor: '#cbd5e1' },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  function hourRanges(hours) {
    var out = [], start = null;
    hours.forEach(function (h, i) {
      if (start === null) start = h;
      if (hours[i + 1] !== h + 1) { out.push(start === h ? h + 'h' : start + '–' + h + 'h'); start = null; }
    });
    return out.join(', ');
  }

  function renderSkills(report) {
    // The busiest skills first; a chart of every skill would be unreadable.
    var skills = report.skills.slice().sort(function (a, b) { return b.demand.human - a.demand.human || b.supply.agentHours - a.supply.agentHours; }).slice(0, 12);
    draw('chart-skills', {
      type: 'bar',
      data: {
        labels: skills.map(function (s) { return s.skill; }),
        datasets: [
          { label: 'tickets needing a person', data: skills.map(function (s) { return s.demand.human; }), backgroundColor: '#f59e0b', yAxisID: 'y' },
          { label: 'available agent-hours', data: skills.map(function (s) { return s.supply.agentHours; }), backgroundColor: '#10b981', yAxisID: 'y1' },
        ],
      },
      options: { scales: {
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'tickets' } },
        y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'agent-hours' } },
      } },
    });

    var list = $('skills-shortages');
    list.textContent = '';
    report.shortages.slice(0, 8).forEach(function (s) {
      var li = document.createElement('li');
      var name = document.createElement('strong');
      name.textContent = s.skill;
      var why = document.createElement('span');
      why.className = 'why';
      why.textContent = s.excessWaitHours.toFixed(1) + ' h waited past ' + duration(report.waitTargetSeconds) + ' · ' + s.humanTickets + ' tickets · ' +
        (s.ticketsPerAgentHour === null ? 'no one with this skill was available' : s.agentHours.toFixed(1) + ' agent-hours') +
        (s.uncoveredHours.length ? ' · uncovered ' + hourRanges(s.uncoveredHours) + ' UTC' : '');
      li.appendChild(name);
      li.appendChild(why);
      list.appendChild(li);
    });
    $('skills-none').hidden = report.shortages.length > 0;
  }

  function refresh() {
    var to = new Date(), from = new Date(to.getTime() - 14 * DAY);
    var w = 'from=' + encodeURIComponent(from.toISOString()) + '&to=' + encodeURIComponent(to.toISOString());
    return Promise.all([
      api('/v1/stats/sla?groupBy=route&' + w),
      api('/v1/stats/sla?groupBy=agent&' + w),
      api('/v1/stats/sla/trend?bucket=day&' + w),
      api('/v1/stats/fairness?attribute=locale&' + w),
      api('/v1/stats/breaches?limit=200'),
      api('/v1/stats/skills'),
    ]).then(function (r) {
      render({ byRoute: r[0], byAgent: r[1], trend: r[2], fairness: r[3], breaches: r[4] });
      renderSkills(r[5]);
      $('status').textContent = 'Updated ' + new Date().toLocaleTimeString() + ' · refreshes every 30 s';
      document.body.dataset.state = 'ready';
    }).catch(function (e) {
      if (e.message !== 'unauthorised') $('status').textContent = 'Could not refresh: ' + e.message;
    });
  }

  function show() {
    $('login').hidden = true;
    $('board').hidden = false;
    $('logout').hidden = false;
    document.body.dataset.state = 'loading';
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    clearInterval(timer);
    $('board').hidden = true;
    $('logout').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    document.body.dataset.state = 'login';
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('login').addEventListener('submit', function (ev) {
      ev.preventDefault();
      sessionStorage.setItem(KEY, $('key').value.trim());
      $('key').value = '';
      show();
    });
    $('logout').addEventListener('click', function () { signOut(); });
    if (sessionStorage.getItem(KEY)) show();
  });
})();
