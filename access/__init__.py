"""The access layer: who is asking, what they may see, and how refusals and downloads look.

Shared by the API (``api/``) and the explorer (``web/``), which never import each other; they
are Flask blueprints registered by the one app factory, :func:`kg.app.create_app`. This floor
imports ``core/``, ``graph/`` and ``queries/`` only.

==================  ===========================================================================
module              what it holds
==================  ===========================================================================
``principal``       :class:`~access.principal.Principal`: a token's id, role, region scope and
                    rights (``RIGHTS``), and masking by role (:mod:`core.masking`)
``tokens``          the bearer tokens (``$KG_HOME/api/tokens.json``, hashed)
``sessions``        the explorer's server-side sessions (idle and absolute timeouts), and
``throttle``        sign-in throttling per address; both in ``$KG_HOME/api/sessions.sqlite3``,
                    shared by every gunicorn worker (``store``)
``request``         the request's state: the principal (bearer token or session), what the
                    audit log records about it (:class:`~access.request.Call`), ``require``
``audit``           the audit log: one masked JSON line per request, 0600, rotated by size
``errors``          every error → ``Problem`` (status, code, message) in one mapping; rendered
                    as JSON here (the API), as a page by the explorer
``params``          strict query-string parameters (ASCII digits, ranges, one value each)
``paging``          pages of a worklist
``exports``         CSV (UTF-8 with BOM) and xlsx downloads of an answer, and attachments
``redirects``       same-origin redirect targets only
``services``        what one app shares (:class:`~access.services.Services`): the Neo4j driver
                    opened on first use, tokens, sessions, audit log, the result cache
==================  ===========================================================================

Adding an endpoint (api/) or a page (web/) with auth, scope, masking, paging and downloads::

    @bp.get("/api/loads")
    @require("read")
    def loads() -> Response:
        args = single_args(request.args)
        fmt = output_format(args, request.accept_mimetypes, principal())
        result = run_named("loads", strict_params("loads", args, exclude=API_PARAMS))
        return answer(result, fmt, args=args, paged=True)

(``api/named.py`` has ``run_named`` and ``answer``; a named query in ``queries/loads.cypher``
gets ``/api/queries/loads`` with all of this by itself.)
"""
