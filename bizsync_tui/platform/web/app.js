/* bizsync mobile reader (PLATFORM_API.md, "The mobile web app"). No framework, nothing from another site.
 *
 * Storage (this origin only):
 *  - localStorage "bizsync.profile": client code, login, the company codes used, the current one, the
 *    language. Never the password.
 *  - localStorage "bizsync.sessions": per client|login|company, the token, its expiry and the last
 *    figures fetched with it (shown offline). A session survives a reload and a restart of the home-screen
 *    app, as long as the platform's token lives (12 h by default); it is dropped at its expiry, on "Log out"
 *    and as soon as the platform says it ended. The token goes only into the Authorization header: never in
 *    a URL, never in a cookie.
 * Every text from the platform is put in the page with textContent (never as HTML).
 */
(function () {
  'use strict';

  var API = '/api/v1/mobile';
  var PROFILE_KEY = 'bizsync.profile';
  var SESSIONS_KEY = 'bizsync.sessions';
  var STALE_MS = 2 * 24 * 3600 * 1000;
  var script = document.currentScript;
  var BUILD = script ? (new URL(script.src).searchParams.get('v') || '') : '';

  var FR = {
    'Skip to the figures': 'Aller aux chiffres',
    'Log out': 'Se déconnecter',
    "Your company's figures": 'Les chiffres de votre société',
    'Type the codes your administrator gave you.': 'Saisissez les codes donnés par votre administrateur.',
    'Client code': 'Code client',
    'Company code': 'Code société',
    'Login': 'Identifiant',
    'Password': 'Mot de passe',
    'Log in': 'Se connecter',
    'Logging in…': 'Connexion…',
    'Back to the figures': 'Revenir aux chiffres',
    'Company': 'Société',
    'Refresh': 'Actualiser',
    'Another company…': 'Une autre société…',
    'Commercial': 'Commercial',
    'Accounting': 'Comptabilité',
    'Figures': 'Chiffres',
    'Month': 'Mois',
    'Fiscal year': 'Exercice',
    'Total': 'Total',
    'Amount': 'Montant',
    'Name': 'Nom',
    'up': 'en hausse',
    'down': 'en baisse',
    'unchanged': 'inchangé',
    'since {date}': 'depuis le {date}',
    'Fill in every field.': 'Remplissez tous les champs.',
    'Login refused: check the client code, company code, login and password, or ask your administrator.':
      "Connexion refusée : vérifiez le code client, le code société, l'identifiant et le mot de passe, ou demandez à votre administrateur.",
    'Too many attempts: try again in {n} minutes (at {time}).': 'Trop de tentatives : réessayez dans {n} minutes (à {time}).',
    'Too many attempts: try again in {n} seconds.': 'Trop de tentatives : réessayez dans {n} secondes.',
    'The platform cannot be reached: check your connection, then try again.':
      'La plateforme est injoignable : vérifiez votre connexion, puis réessayez.',
    'The platform could not answer (error {status}); try again in a moment.':
      'La plateforme n’a pas pu répondre (erreur {status}) ; réessayez dans un instant.',
    'Your session has ended; log in again.': 'Votre session est terminée ; reconnectez-vous.',
    'You are logged out.': 'Vous êtes déconnecté.',
    'Type your password for {code}.': 'Saisissez votre mot de passe pour {code}.',
    'Nothing has been published for this company yet; ask your administrator.':
      "Rien n'a encore été publié pour cette société ; demandez à votre administrateur.",
    'No figure is granted to you for this company; ask your administrator.':
      "Aucun chiffre ne vous est accordé pour cette société ; demandez à votre administrateur.",
    'Figures as of {date}, extracted {moment}.': 'Chiffres au {date}, extraits le {moment}.',
    'These figures are {n} days old: the publication may have stopped; tell your administrator.':
      "Ces chiffres datent de {n} jours : la publication s'est peut-être arrêtée ; prévenez votre administrateur.",
    'You are offline: these are the figures fetched on {moment}.':
      'Vous êtes hors ligne : voici les chiffres récupérés le {moment}.',
    'The platform cannot be reached: these are the figures fetched on {moment}.':
      'La plateforme est injoignable : voici les chiffres récupérés le {moment}.',
    'Nothing for this period.': 'Rien sur cette période.',
    'On {date}': 'Au {date}',
    'Loading…': 'Chargement…'
  };

  var lang = 'en';
  var catalogue = null;
  var current = null; // {key, data, fetchedAt}
  var retryTimer = null;

  function t(text, vars) {
    var s = (lang === 'fr' && Object.prototype.hasOwnProperty.call(FR, text)) ? FR[text] : text;
    if (vars) {
      s = s.replace(/\{(\w+)\}/g, function (m, name) { return name in vars ? String(vars[name]) : m; });
    }
    return s;
  }

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // -- storage -------------------------------------------------------------------------------------

  function readJson(key, fallback) {
    try {
      var v = JSON.parse(window.localStorage.getItem(key) || 'null');
      return (v && typeof v === 'object') ? v : fallback;
    } catch (e) { return fallback; }
  }

  function writeJson(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }

  function profile() {
    var p = readJson(PROFILE_KEY, {});
    return {
      client_code: typeof p.client_code === 'string' ? p.client_code : '',
      login: typeof p.login === 'string' ? p.login : '',
      companies: Array.isArray(p.companies) ? p.companies.filter(function (c) { return typeof c === 'string'; }) : [],
      company: typeof p.company === 'string' ? p.company : '',
      lang: p.lang === 'fr' || p.lang === 'en' ? p.lang : ''
    };
  }

  function saveProfile(p) { writeJson(PROFILE_KEY, p); }

  function sessionKey(client, login, company) { return [client, login, company].join('|'); }

  function sessions() {
    var all = readJson(SESSIONS_KEY, {});
    var now = Date.now();
    var changed = false;
    Object.keys(all).forEach(function (k) {
      var s = all[k];
      if (!s || typeof s.token !== 'string' || !(Date.parse(s.expires_at) > now)) { delete all[k]; changed = true; }
    });
    if (changed) { writeJson(SESSIONS_KEY, all); }
    return all;
  }

  function sessionOf(key) { return sessions()[key] || null; }

  function putSession(key, value) {
    var all = sessions();
    if (value) { all[key] = value; } else { delete all[key]; }
    writeJson(SESSIONS_KEY, all);
  }

  function currentKey() {
    var p = profile();
    return p.company ? sessionKey(p.client_code, p.login, p.company) : '';
  }

  // -- formatting ----------------------------------------------------------------------------------

  function locale() {
    var nav = (navigator.languages && navigator.languages[0]) || navigator.language || '';
    if (lang === 'fr') { return /^fr\b/i.test(nav) ? nav : 'fr-FR'; }
    return /^en\b/i.test(nav) ? nav : 'en-GB';
  }

  function money(amount, currency) {
    try {
      // A decimal string is formatted exactly (no float rounding) by Intl.NumberFormat.
      return new Intl.NumberFormat(locale(), { style: 'currency', currency: currency || 'EUR' }).format(amount);
    } catch (e) {
      return String(amount) + ' ' + (currency || '');
    }
  }

  function isoDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text || ''));
    return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  }

  function dateText(text, style) {
    var d = isoDate(text);
    if (!d) { return String(text || ''); }
    return new Intl.DateTimeFormat(locale(), { dateStyle: style || 'long', timeZone: 'UTC' }).format(d);
  }

  function periodText(from, to) {
    var a = isoDate(from), b = isoDate(to);
    if (!a || !b) { return String(from || '') + ' – ' + String(to || ''); }
    var f = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    return f.formatRange ? f.formatRange(a, b) : f.format(a) + ' – ' + f.format(b);
  }

  function momentText(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return String(iso || ''); }
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeStyle: 'short' }).format(d);
  }

  function percentText(ratio) {
    return new Intl.NumberFormat(locale(), {
      style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero'
    }).format(ratio);
  }

  // -- static texts and language --------------------------------------------------------------------

  function applyLanguage() {
    document.documentElement.lang = lang;
    Array.prototype.forEach.call(document.querySelectorAll('[data-t]'), function (node) {
      node.textContent = t(node.getAttribute('data-t'));
    });
    var button = $('lang');
    var other = lang === 'fr' ? 'en' : 'fr';
    button.textContent = other.toUpperCase();
    button.setAttribute('lang', other);
    button.setAttribute('aria-label', other === 'fr' ? 'Français' : 'English');
    fillSwitcher();
    if (current && !$('figures-view').hidden) { render(current); }
  }

  function detectLanguage() {
    var p = profile();
    if (p.lang) { return p.lang; }
    var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
    for (var i = 0; i < langs.length; i++) {
      if (/^fr\b/i.test(langs[i])) { return 'fr'; }
      if (/^en\b/i.test(langs[i])) { return 'en'; }
    }
    return 'en';
  }

  // -- messages -------------------------------------------------------------------------------------

  function say(id, text, kind) {
    var node = $(id);
    node.textContent = text || '';
    node.hidden = !text;
    if (kind) { node.className = 'notice ' + kind; }
  }

  // -- views ----------------------------------------------------------------------------------------

  function prefill() {
    var p = profile();
    var form = $('login-form');
    form.client_code.value = p.client_code;
    form.login.value = p.login;
    form.company_code.value = p.company;
    form.password.value = '';
  }

  function showLogin(message, kind, focusId) {
    $('figures-view').hidden = true;
    $('login-view').hidden = false;
    $('logout').hidden = !currentSession();
    $('login-cancel').hidden = !currentSession();
    var form = $('login-form');
    fillDatalist();
    say('login-error', message || '', kind || 'error');
    var target = focusId ? $(focusId) : firstEmpty(form);
    if (target) { target.focus(); }
  }

  function firstEmpty(form) {
    var names = ['client_code', 'company_code', 'login', 'password'];
    for (var i = 0; i < names.length; i++) {
      if (!form[names[i]].value) { return form[names[i]]; }
    }
    return null;
  }

  function fillDatalist() {
    var list = $('company-codes');
    list.textContent = '';
    profile().companies.forEach(function (code) {
      var option = document.createElement('option');
      option.value = code;
      list.appendChild(option);
    });
  }

  function fillSwitcher() {
    var p = profile();
    var select = $('company-switch');
    select.textContent = '';
    p.companies.forEach(function (code) {
      var option = el('option', null, code);
      option.value = code;
      option.selected = code === p.company;
      select.appendChild(option);
    });
    var other = el('option', null, t('Another company…'));
    other.value = '';
    select.appendChild(other);
    $('switch-box').hidden = false;
  }

  function currentSession() {
    var key = currentKey();
    return key ? sessionOf(key) : null;
  }

  function showFigures() {
    $('login-view').hidden = true;
    $('figures-view').hidden = false;
    $('logout').hidden = false;
    fillSwitcher();
  }

  function render(state) {
    var data = state.data;
    var company = data.company || {};
    var heading = $('company-name');
    heading.textContent = '';
    heading.appendChild(document.createTextNode(company.name || company.short_code || ''));
    if (company.short_code) {
      heading.appendChild(document.createTextNode(' '));
      heading.appendChild(el('span', 'code', company.short_code));
    }
    var extracted = data.extracted_at || '';
    say('as-of', t('Figures as of {date}, extracted {moment}.', { date: dateText(data.as_of), moment: momentText(extracted) }));
    $('as-of').className = 'meta';
    var moment = Date.parse(extracted);
    if (isNaN(moment)) { var d = isoDate(data.as_of); moment = d ? d.getTime() : NaN; }
    var age = Date.now() - moment;
    if (age > STALE_MS) {
      say('stale', t('These figures are {n} days old: the publication may have stopped; tell your administrator.',
        { n: Math.floor(age / 86400000) }), 'warn');
    } else {
      say('stale', '');
    }

    var groups = $('groups');
    groups.textContent = '';
    var views = data.views || {};
    var previous = (data.previous && data.previous.views) || {};
    var previousAsOf = data.previous ? data.previous.as_of : null;
    var shown = 0;
    (catalogue ? catalogue.groups : fallbackGroups(views)).forEach(function (group) {
      var present = group.views.filter(function (v) { return Object.prototype.hasOwnProperty.call(views, v.id); });
      if (!present.length) { return; }
      var section = el('section', 'group');
      var title = el('h2', null, t({ commercial: 'Commercial', accounting: 'Accounting' }[group.id] || 'Figures'));
      title.id = 'group-' + group.id;
      section.setAttribute('aria-labelledby', title.id);
      section.appendChild(title);
      present.forEach(function (view) {
        section.appendChild(card(view, views[view.id], previous[view.id], previousAsOf, company.currency));
        shown++;
      });
      groups.appendChild(section);
    });
    if (!shown) {
      groups.appendChild(el('p', 'notice info', t('No figure is granted to you for this company; ask your administrator.')));
    }
  }

  function fallbackGroups(views) {
    // The labels could not be loaded (never offline once the service worker has them): the ids, by shape.
    return [{ id: 'figures', views: Object.keys(views).map(function (id) {
      var v = views[id] || {};
      var shape = v.month ? 'amount' : (v.total !== undefined ? 'balances' : 'ranking');
      return { id: id, shape: shape, label: { en: id, fr: id } };
    }) }];
  }

  function card(view, value, previous, previousAsOf, currency) {
    var article = el('article', 'card');
    article.setAttribute('data-view', view.id);
    var title = el('h3', null, view.label[lang] || view.label.en || view.id);
    title.id = 'view-' + view.id;
    article.setAttribute('aria-labelledby', title.id);
    article.appendChild(title);
    try {
      if (view.shape === 'amount') { amountBody(article, value, previous, previousAsOf, currency); }
      else if (view.shape === 'ranking') { rankingBody(article, value, currency); }
      else { balancesBody(article, value, currency); }
    } catch (e) {
      article.appendChild(el('p', 'empty', t('Nothing for this period.')));
    }
    return article;
  }

  function amountBody(article, value, previous, previousAsOf, currency) {
    var list = el('dl', 'amounts');
    [['month', 'Month'], ['year', 'Fiscal year']].forEach(function (part) {
      var cur = value && value[part[0]];
      if (!cur) { return; }
      var row = el('div');
      row.setAttribute('data-part', part[0]);
      var dt = el('dt', null, t(part[1]));
      dt.appendChild(el('span', 'period', periodText(cur.from, cur.to)));
      var dd = el('dd');
      dd.appendChild(el('span', 'value', money(cur.amount, currency)));
      var before = previous && previous[part[0]];
      if (before && before.from === cur.from && previousAsOf) { dd.appendChild(change(cur.amount, before.amount, previousAsOf, currency)); }
      row.appendChild(dt);
      row.appendChild(dd);
      list.appendChild(row);
    });
    article.appendChild(list);
  }

  function change(nowText, beforeText, previousAsOf, currency) {
    var now = Number(nowText), before = Number(beforeText);
    var diff = Math.round((now - before) * 100) / 100;
    var kind = diff > 0 ? 'up' : (diff < 0 ? 'down' : 'same');
    var node = el('span', 'change ' + kind);
    var sign = el('span', null, kind === 'up' ? '▲' : (kind === 'down' ? '▼' : '='));
    sign.setAttribute('aria-hidden', 'true');
    node.appendChild(sign);
    // the direction in words: read aloud for up and down (the arrow says it on screen), shown for unchanged
    node.appendChild(el('span', kind === 'same' ? null : 'sr', ' ' + t(kind === 'same' ? 'unchanged' : kind)));
    var amount;
    if (kind === 'same') { amount = ''; }
    else if (before !== 0) { amount = percentText(diff / Math.abs(before)); }
    else { amount = (diff > 0 ? '+' : '') + money(diff.toFixed(2), currency); }
    node.appendChild(document.createTextNode(' ' + (amount ? amount + ' ' : '') + t('since {date}', { date: dateText(previousAsOf, 'medium') })));
    return node;
  }

  function rankingBody(article, value, currency) {
    article.appendChild(el('p', 'period', periodText(value.from, value.to)));
    var rows = Array.isArray(value.rows) ? value.rows : [];
    if (!rows.length) { article.appendChild(el('p', 'empty', t('Nothing for this period.'))); return; }
    var top = 0;
    rows.forEach(function (r) { top = Math.max(top, Number(r.amount) || 0); });
    var list = el('ol', 'ranking');
    rows.forEach(function (r) {
      var item = el('li');
      item.appendChild(el('span', 'rank', r.rank));
      var name = el('span', 'name', r.label || r.code);
      if (r.label && r.code) { name.appendChild(document.createTextNode(' ')); name.appendChild(el('span', 'code', r.code)); }
      item.appendChild(name);
      item.appendChild(el('span', 'value', money(r.amount, currency)));
      var track = el('span', 'bar-track');
      track.setAttribute('aria-hidden', 'true');
      var fill = el('span', 'bar-fill');
      var share = top > 0 ? Math.max(0, Number(r.amount) || 0) / top : 0;
      fill.style.width = (share * 100).toFixed(1) + '%'; // CSSOM: allowed by the page's style-src 'self'
      track.appendChild(fill);
      item.appendChild(track);
      list.appendChild(item);
    });
    article.appendChild(list);
  }

  function balancesBody(article, value, currency) {
    article.appendChild(el('p', 'period', t('On {date}', { date: dateText(value.as_of) })));
    var rows = Array.isArray(value.rows) ? value.rows : [];
    var table = el('table', 'balances');
    var head = el('thead');
    var hr = el('tr');
    [t('Name'), t('Amount')].forEach(function (h) { var th = el('th', null, h); th.scope = 'col'; hr.appendChild(th); });
    head.appendChild(hr);
    table.appendChild(head);
    var body = el('tbody');
    rows.forEach(function (r) {
      var tr = el('tr');
      var th = el('th', null, r.label || r.code);
      th.scope = 'row';
      if (r.label && r.code) { th.appendChild(document.createTextNode(' ')); th.appendChild(el('span', 'code', r.code)); }
      tr.appendChild(th);
      tr.appendChild(el('td', 'value', money(r.amount, currency)));
      body.appendChild(tr);
    });
    table.appendChild(body);
    var foot = el('tfoot');
    var fr = el('tr');
    var total = el('th', null, t('Total'));
    total.scope = 'row';
    fr.appendChild(total);
    fr.appendChild(el('td', 'value', money(value.total, currency)));
    foot.appendChild(fr);
    table.appendChild(foot);
    article.appendChild(table);
  }

  // -- network --------------------------------------------------------------------------------------

  function retryText(response) {
    var header = response.headers.get('Retry-After') || '';
    var seconds = /^\d+$/.test(header) ? parseInt(header, 10) : Math.round((Date.parse(header) - Date.now()) / 1000);
    if (!(seconds > 0)) { seconds = 60; }
    var at = new Date(Date.now() + seconds * 1000);
    var text = seconds < 90
      ? t('Too many attempts: try again in {n} seconds.', { n: seconds })
      : t('Too many attempts: try again in {n} minutes (at {time}).', {
        n: Math.ceil(seconds / 60),
        time: new Intl.DateTimeFormat(locale(), { timeStyle: 'short' }).format(at)
      });
    return { text: text, seconds: seconds };
  }

  function onLogin(event) {
    event.preventDefault();
    var form = $('login-form');
    var body = {
      client_code: form.client_code.value.trim(),
      company_code: form.company_code.value.trim(),
      login: form.login.value.trim(),
      password: form.password.value
    };
    var empty = firstEmpty({
      client_code: { value: body.client_code }, company_code: { value: body.company_code },
      login: { value: body.login }, password: { value: body.password }
    });
    if (empty) {
      say('login-error', t('Fill in every field.'), 'error');
      ['client_code', 'company_code', 'login', 'password'].some(function (n) {
        if (!body[n]) { form[n].focus(); return true; } return false;
      });
      return;
    }
    var button = $('login-submit');
    button.disabled = true;
    button.textContent = t('Logging in…');
    say('login-error', '');
    fetch(API + '/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer'
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (answer) {
          var p = profile();
          if (p.client_code !== body.client_code || p.login !== body.login) { p.companies = []; }
          p.client_code = body.client_code;
          p.login = body.login;
          p.company = body.company_code;
          if (p.companies.indexOf(body.company_code) < 0) { p.companies.push(body.company_code); }
          saveProfile(p);
          putSession(sessionKey(p.client_code, p.login, p.company), { token: answer.token, expires_at: answer.expires_at });
          form.password.value = '';
          button.disabled = false;
          showFigures();
          current = null;
          $('groups').textContent = '';
          say('as-of', t('Loading…'));
          say('stale', '');
          say('figures-error', '');
          $('company-name').textContent = body.company_code;
          $('main').focus();
          loadViews();
        });
      }
      button.disabled = false;
      if (response.status === 429) {
        var retry = retryText(response);
        say('login-error', retry.text, 'error');
        button.disabled = true;
        clearTimeout(retryTimer);
        retryTimer = setTimeout(function () { button.disabled = false; }, retry.seconds * 1000);
      } else if (response.status === 401 || response.status === 422 || response.status === 404) {
        say('login-error', t('Login refused: check the client code, company code, login and password, or ask your administrator.'), 'error');
        form.password.value = '';
        form.password.focus();
      } else {
        say('login-error', t('The platform could not answer (error {status}); try again in a moment.', { status: response.status }), 'error');
      }
    }).catch(function () {
      button.disabled = false;
      say('login-error', t('The platform cannot be reached: check your connection, then try again.'), 'error');
    }).then(function () {
      button.textContent = t('Log in');
    });
  }

  function loadViews() {
    var key = currentKey();
    var session = key ? sessionOf(key) : null;
    if (!session) { prefill(); showLogin(); return; }
    if (session.figures) {
      current = { key: key, data: session.figures.data, fetchedAt: session.figures.fetched_at };
      render(current);
    }
    fetch(API + '/views', {
      headers: { 'Authorization': 'Bearer ' + session.token }, cache: 'no-store', credentials: 'omit',
      referrerPolicy: 'no-referrer'
    }).then(function (response) {
      if (key !== currentKey()) { return; } // the user switched company meanwhile
      if (response.ok) {
        return response.json().then(function (data) {
          var fetchedAt = new Date().toISOString();
          var s = sessionOf(key);
          if (!s) { return; }
          s.figures = { fetched_at: fetchedAt, data: data };
          putSession(key, s);
          current = { key: key, data: data, fetchedAt: fetchedAt };
          say('offline', '');
          say('figures-error', '');
          render(current);
        });
      }
      if (response.status === 401) {
        putSession(key, null);
        current = null;
        prefill();
        showLogin(t('Your session has ended; log in again.'), 'error', 'password');
        return;
      }
      if (response.status === 404) {
        var s = sessionOf(key);
        if (s) { delete s.figures; putSession(key, s); }
        current = null;
        $('groups').textContent = '';
        say('as-of', '');
        say('stale', '');
        say('figures-error', t('Nothing has been published for this company yet; ask your administrator.'), 'error');
        return;
      }
      unreachable(session, t('The platform could not answer (error {status}); try again in a moment.', { status: response.status }));
    }).catch(function () {
      if (key !== currentKey()) { return; }
      unreachable(session, t('The platform cannot be reached: check your connection, then try again.'));
    });
  }

  function unreachable(session, message) {
    if (session.figures) {
      var text = navigator.onLine === false
        ? 'You are offline: these are the figures fetched on {moment}.'
        : 'The platform cannot be reached: these are the figures fetched on {moment}.';
      say('offline', t(text, { moment: momentText(session.figures.fetched_at) }), 'warn');
      say('figures-error', '');
    } else {
      say('as-of', '');
      say('figures-error', message, 'error');
    }
  }

  function logout() {
    var p = profile();
    var all = sessions();
    var prefix = sessionKey(p.client_code, p.login, '');
    Object.keys(all).forEach(function (k) {
      if (k.indexOf(prefix) !== 0) { return; }
      var token = all[k].token;
      fetch(API + '/logout', {
        method: 'POST', headers: { 'Authorization': 'Bearer ' + token }, cache: 'no-store', credentials: 'omit',
        keepalive: true
      }).catch(function () { /* offline: the token still expires on the platform */ });
      delete all[k];
    });
    writeJson(SESSIONS_KEY, all);
    current = null;
    $('groups').textContent = '';
    say('offline', '');
    prefill();
    showLogin(t('You are logged out.'), 'info', 'password');
  }

  function switchCompany() {
    var code = $('company-switch').value;
    var p = profile();
    var form = $('login-form');
    form.client_code.value = p.client_code;
    form.login.value = p.login;
    form.password.value = '';
    if (!code) {
      form.company_code.value = '';
      showLogin('', null, 'company_code');
      return;
    }
    if (sessionOf(sessionKey(p.client_code, p.login, code))) {
      p.company = code;
      saveProfile(p);
      current = null;
      $('groups').textContent = '';
      say('offline', '');
      say('figures-error', '');
      showFigures();
      loadViews();
      return;
    }
    form.company_code.value = code;
    showLogin(t('Type your password for {code}.', { code: code }), 'info', 'password');
  }

  // -- start ------------------------------------------------------------------------------------------

  function readFragment() {
    // A connection card's QR code opens the page as /#client_code=..&company_code=..&login=.. (never a password).
    var found = false;
    if (!location.hash || location.hash.length > 1024) { return found; }
    var params = new URLSearchParams(location.hash.slice(1));
    var client = (params.get('client_code') || '').trim();
    var login = (params.get('login') || '').trim();
    var companies = params.getAll('company_code').map(function (c) { return c.trim(); })
      .filter(function (c) { return c && c.length <= 32; });
    if (client || login || companies.length) {
      var p = profile();
      if ((client && client !== p.client_code) || (login && login !== p.login)) { p.companies = []; }
      if (client) { p.client_code = client.slice(0, 64); }
      if (login) { p.login = login.slice(0, 64); }
      companies.forEach(function (c) { if (p.companies.indexOf(c) < 0) { p.companies.push(c); } });
      if (companies.length) { p.company = companies[0]; }
      saveProfile(p);
      found = true;
    }
    history.replaceState(null, '', location.pathname + location.search);
    return found;
  }

  function start() {
    lang = detectLanguage();
    readFragment();
    prefill();
    applyLanguage();
    $('login-form').addEventListener('submit', onLogin);
    $('logout').addEventListener('click', logout);
    $('refresh').addEventListener('click', loadViews);
    $('company-switch').addEventListener('change', switchCompany);
    $('login-cancel').addEventListener('click', function () { showFigures(); if (current) { render(current); } else { loadViews(); } });
    $('lang').addEventListener('click', function () {
      lang = lang === 'fr' ? 'en' : 'fr';
      var p = profile();
      p.lang = lang;
      saveProfile(p);
      applyLanguage();
    });
    window.addEventListener('hashchange', function () {
      // a card's address opened while the page is open: its codes, then the password
      if (readFragment()) { prefill(); fillSwitcher(); showLogin('', null, 'password'); }
    });
    window.addEventListener('online', function () { if (!$('figures-view').hidden) { loadViews(); } });
    window.addEventListener('offline', function () {
      var s = currentSession();
      if (!$('figures-view').hidden && s && s.figures) {
        say('offline', t('You are offline: these are the figures fetched on {moment}.', { moment: momentText(s.figures.fetched_at) }), 'warn');
      }
    });
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () { /* the page works without */ });
    }
    var begin = function () {
      if (currentSession()) { showFigures(); loadViews(); } else { showLogin(); }
    };
    fetch('/catalogue.json?v=' + encodeURIComponent(BUILD)).then(function (r) {
      if (!r.ok) { throw new Error('catalogue ' + r.status); }
      return r.json();
    }).then(function (doc) { catalogue = doc; }).catch(function () { catalogue = null; }).then(begin);
  }

  start();
}());
