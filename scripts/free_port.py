"""Print the first port from argv[1] upward that 127.0.0.1 can listen on (`make serve`).

A village office's computer often runs another program on 8000; the demo then serves on the
next free port and `make serve` prints the address it really uses.
"""

import socket
import sys

start = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
for port in range(start, start + 50):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    sys.exit(0)
sys.exit(f"端口 {start}–{start + 49} 都被占用，请用 make demo PORT=… 指定一个空闲端口")
