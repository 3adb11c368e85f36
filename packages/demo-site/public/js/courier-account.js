/* global document, location, fetch, window */
// The Courier's side of sign-on on this article: a reader signed in to the Courier is signed in to
// the discussion too, with a token the Courier's server signs (see src/courier-accounts.ts).
(function () {
  var bar = document.getElementById('courier-account');
  if (!bar) return;
  var back = encodeURIComponent(location.pathname);
  fetch('/account/parley-token', { method: 'POST' })
    .then(function (response) {
      if (!response.ok) throw new Error('signed out');
      return response.json();
    })
    .then(function (answer) {
      bar.innerHTML = '';
      bar.append('Signed in to the Courier as ' + answer.name + '. ');
      var out = document.createElement('form');
      out.method = 'post';
      out.action = '/account/sign-out?return=' + back;
      out.className = 'inline';
      out.innerHTML = '<button type="submit">Sign out</button>';
      out.addEventListener('submit', function (event) {
        // The Courier's sign-out ends the Parley session too, before the page goes.
        event.preventDefault();
        Promise.resolve(window.parley && window.parley.logout()).finally(function () {
          out.submit();
        });
      });
      bar.append(out);
      var login = function () {
        window.parley.login(answer.token).catch(function () {});
      };
      if (window.parley) login();
      else window.addEventListener('parley:ready', login, { once: true });
    })
    .catch(function () {
      bar.innerHTML = 'Courier subscribers: <a href="/account/?return=' + back + '">sign in with your Courier account</a> to join the discussion.';
    });
})();
