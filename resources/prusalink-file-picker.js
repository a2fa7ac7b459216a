/**
 * The remote file picker of the path fields (files, print, rm, upload): jQuery UI autocomplete fed by the
 * admin endpoint GET prusalink-printer/<id>/files?path=<folder>. It lists the folder typed so far; the menu
 * shows long names (display_path) and fills in the path the node will use (8.3 form on Buddy).
 *
 * A file of its own, served by Node-RED from the module's resources/ folder, so that it does not depend on any
 * one node set being enabled: each node's HTML that uses it loads it with <script src="resources/…">, and the
 * editor runs it before that node's definition. Loading it more than once only redefines the same object.
 * Its texts are in the printer's catalog: no picker works without an enabled printer config node.
 */
'use strict';

window.PrusaLinkFilePicker = {
  attach: function (inputSelector, options) {
    var foldersOnly = Boolean(options && options.foldersOnly);
    var input = $(inputSelector);
    var ns = '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.picker.';
    var tip = $('<div class="form-tips"></div>')
      .attr('id', input.attr('id') + '-picker-tip')
      .hide()
      .insertAfter(input.closest('.form-row'));
    function showTip(text) {
      tip.text(text || '').toggle(Boolean(text));
    }
    input.autocomplete({
      minLength: 0,
      delay: 300,
      appendTo: input.closest('.form-row'),
      source: function (request, respond) {
        var printerId = $('#node-input-printer').val();
        if (!printerId || printerId === '_ADD_') return respond([]);
        var typed = request.term || '';
        var cut = typed.lastIndexOf('/');
        var folder = cut > 0 ? typed.slice(0, cut) : cut === 0 ? '/' : '';
        var start = (cut >= 0 ? typed.slice(cut + 1) : typed).toLowerCase();
        showTip(RED._(ns + 'loading'));
        $.getJSON('prusalink-printer/' + encodeURIComponent(printerId) + '/files', { path: folder })
          .done(function (data) {
            showTip('');
            var entries = (data && data.entries) || [];
            respond(
              entries
                .filter(function (e) {
                  if (foldersOnly && !e.folder) return false;
                  return e.display_name.toLowerCase().indexOf(start) === 0 || e.name.toLowerCase().indexOf(start) === 0;
                })
                .map(function (e) {
                  return { label: e.display_path + (e.folder ? '/' : ''), value: e.folder ? e.path + '/' : e.path };
                }),
            );
          })
          .fail(function (xhr) {
            var body = xhr.responseJSON || {};
            showTip(body.code === 'NOT_DEPLOYED' ? RED._(ns + 'notDeployed') : RED._(ns + 'failed', { message: body.message || xhr.statusText }));
            respond([]);
          });
      },
      select: function (event, ui) {
        // A folder was picked: show what is inside it next.
        if (/\/$/.test(ui.item.value)) {
          setTimeout(function () {
            input.autocomplete('search', ui.item.value);
          }, 0);
        }
      },
    });
    input.on('focus', function () {
      if (!input.val()) input.autocomplete('search', '');
    });
  },
};
