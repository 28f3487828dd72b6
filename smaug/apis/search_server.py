"""The search page served on this machine (``tools/search.py --serve``):
a FastAPI app on uvicorn, bound to 127.0.0.1.

FastAPI and a small static page, rather than gradio: the page needs only a
query box, a grid of tiles and a video player, which one HTML file of its
own does with stable element ids that a browser test drives; FastAPI,
Starlette and uvicorn are small pure-Python packages that download nothing
at run time (no share tunnel, no analytics, no front-end assets from a
CDN: the API documentation pages, which would load theirs, are off).

Routes: ``/`` the page; ``/api/status`` how far the index is;
``/api/search?q=...&rerank=0|1&top=N`` the results; ``/api/thumbnail/ROW``
the frames the model sees of an indexed video (JPEG);
``/api/video/ROW`` the video, or an H.264 copy a browser plays. Input the
user can fix answers 400 with ``{"error": message}``, which the page shows.
"""
import errno
import socket

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.responses import Response

from .search_page import render_page
from .search_session import SearchInputError

HOST = '127.0.0.1'


class PortInUseError(OSError):
    """The port asked for is taken by another program."""


def create_app(session):
    """The FastAPI app of the search page.

    Args:
        session (SearchSession): The session it serves (prepared, or being
            prepared in the background).

    Returns:
        fastapi.FastAPI: The app.
    """
    app = FastAPI(title='smaug video search', docs_url=None,
                  redoc_url=None, openapi_url=None)

    @app.exception_handler(SearchInputError)
    def input_error(request: Request, error: SearchInputError):
        return JSONResponse(dict(error=str(error)), status_code=400)

    @app.exception_handler(Exception)
    def internal_error(request: Request, error: Exception):
        # uvicorn prints the traceback
        return JSONResponse(dict(error=f'internal error: '
                                 f'{type(error).__name__}: {error} (the '
                                 'traceback is in the terminal)'),
                            status_code=500)

    @app.get('/', response_class=HTMLResponse)
    def page():
        return render_page(dict(mode='server'))

    @app.get('/api/status')
    def status():
        return session.status()

    @app.get('/api/search')
    def search(q: str = '', rerank: bool = False, top: int = 12):
        return session.search(q, max(1, min(top, 100)), rerank)

    @app.get('/api/thumbnail/{row}')
    def thumbnail(row: int):
        return Response(session.thumbnail(row), media_type='image/jpeg',
                        headers={'Cache-Control': 'max-age=3600'})

    @app.get('/api/video/{row}')
    def video(row: int):
        return FileResponse(session.playable_video(row))

    return app


def listening_socket(port, host=HOST):
    """A socket bound to ``host:port`` and listening (port 0: any free
    one).

    Raises:
        PortInUseError: Naming the port, when another program has it.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno != errno.EADDRINUSE:
            raise
        raise PortInUseError(
            errno.EADDRINUSE,
            f'port {port} on {host} is already in use by another program '
            '(another search.py?); choose a free one with --port, or '
            '--port 0 for any free port') from error
    sock.listen(128)
    return sock


def serve(session, sock):
    """Serve the page of ``session`` until interrupted (Ctrl+C).

    Args:
        session (SearchSession): The session; call its
            ``prepare_in_background`` to index while serving.
        sock (socket.socket): From :func:`listening_socket`.
    """
    host, port = sock.getsockname()[:2]
    print(f'search page: http://{host}:{port}/ (Ctrl+C stops)', flush=True)
    server = uvicorn.Server(uvicorn.Config(create_app(session),
                                           log_level='warning'))
    server.run(sockets=[sock])
