"""A tiny OpenAI-compatible chat server on 127.0.0.1 for tests: the model name picks the behaviour."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REPLIES = {
    "good": "Egypt joined the ILRS on 6 December 2023 [1]. It was the first Arab country to join [1].",
    "bad-cite": "Egypt joined the ILRS on 6 December 2023 [9].",
    "mixed-cite": "Egypt joined the ILRS on 6 December 2023 [1][9]. Unsupported claim without a citation.",
    "not-found": "NOT_FOUND",
}


class OpenAIStub:
    """`with OpenAIStub() as stub:` serves /v1/chat/completions; `stub.requests` holds the bodies."""

    def __init__(self, slow_seconds: float = 3.0) -> None:
        self.requests: list[dict[str, Any]] = []
        self.slow_seconds = slow_seconds
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                return

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                stub.requests.append(body)
                model = body.get("model", "good")
                if model == "error":
                    self._send(500, {"error": {"message": "internal error", "type": "server_error"}})
                    return
                if model == "slow":
                    time.sleep(stub.slow_seconds)
                content = REPLIES.get(model, REPLIES["good"])
                self._send(
                    200,
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": model,
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": content},
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> OpenAIStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
