#!/usr/bin/env python3
"""A catalog a test can pull the plug on: listens on the Unix socket LISTEN and passes every
connection through to the MariaDB socket TARGET, byte for byte. Killing it (SIGKILL) drops
every connection through it at once and refuses new ones: a catalog outage, while the server
itself goes on serving the other tests.
Usage: socket_proxy.py LISTEN TARGET  (prints "ready" once it listens)"""
import asyncio
import os
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main(listen, target):
    async def serve(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_unix_connection(target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer),
                             pipe(server_reader, client_writer))

    if os.path.exists(listen):
        os.unlink(listen)
    server = await asyncio.start_unix_server(serve, path=listen)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
