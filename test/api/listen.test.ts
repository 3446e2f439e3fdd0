// The server main.ts starts keeps an idle kept-alive connection past Node's default 5 s, so a client
// or proxy that reuses it (nginx keeps upstream connections 60 s) does not post into a closed socket.
import net from "node:net";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, describe, expect, it } from "vitest";
import { listen } from "../../api/listen.ts";

describe("HTTP server", () => {
  const app = express();
  app.post("/hook", (_req, res) => void res.send("ok"));
  const server = listen(app, 0, "127.0.0.1");
  afterAll(async () => (await server).close());

  it("answers a second request on a connection that sat idle for 6 s", { timeout: 15_000 }, async () => {
    const port = ((await server).address() as AddressInfo).port;
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    let closed = false;
    socket.on("data", (d) => (received += d.toString()));
    socket.on("close", () => (closed = true));
    const request = "POST /hook HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n";
    const answers = () => received.split("HTTP/1.1 200").length - 1;
    socket.write(request);
    await expect.poll(answers).toBe(1);
    await new Promise((r) => setTimeout(r, 6000));
    expect(closed).toBe(false);
    socket.write(request);
    await expect.poll(answers).toBe(2);
    socket.destroy();
  });
});
