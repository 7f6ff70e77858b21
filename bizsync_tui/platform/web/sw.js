/* bizsync mobile reader: the service worker keeps the page's own files for offline use.
 * It never touches the API (/api/...): figures are kept by the page itself, per session. */
'use strict';
var BUILD = '__BUILD__';
var CACHE = 'bizsync-shell-' + BUILD;
var SHELL = ['/', '/app.js', '/app.css', '/catalogue.json', '/manifest.webmanifest', '/icon.svg',
  '/icon-192.png', '/icon-512.png'].map(function (path) { return path === '/' ? path : path + '?v=' + BUILD; });

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL.map(function (url) { return new Request(url, { cache: 'reload' }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf('bizsync-shell-') === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf('/api/') === 0) { return; }
  if (request.mode === 'navigate' || url.pathname === '/') {
    // The page: the network's when there is one (a new version shows at once), else the kept one.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put('/', copy); });
      }
      return response;
    }).catch(function () {
      return caches.match('/', { cacheName: CACHE }).then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then(function (hit) {
    return hit || fetch(request);
  }));
});
