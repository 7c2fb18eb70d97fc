import { createServer, type Server, type Socket } from "node:net";
import type { TpmCommandProcessor } from "../embedded/command-processor.js";
import type { TcpTpmAddress } from "../tcp/tpm-url.js";

/** A listening loopback server; `close()` also drops open connections. */
export interface FakeServer {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : 0);
    });
  });
}

function serve(onConnection: (socket: Socket) => void): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onConnection(socket);
  });
  return { server, sockets };
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/** A data-port server that hands each connection's first request bytes to `respond`. */
export async function startScriptedServer(respond: (request: Buffer, socket: Socket) => void): Promise<FakeServer> {
  const { server, sockets } = serve((socket) => socket.once("data", (request) => respond(request, socket)));
  const port = await listen(server, 0);
  return { port, close: closer(server, sockets) };
}

/** A port nothing listens on (bound, then released). */
export async function unusedPort(): Promise<number> {
  const { server, sockets } = serve(() => {});
  const port = await listen(server, 0);
  await closer(server, sockets)();
  return port;
}

export interface FakeSwtpmOptions {
  /** answer the control command with this result instead of success (e.g. 0x3D) */
  readonly controlResult?: (code: number) => number;
  /** after this many data-port commands, answer half a response and drop the connection */
  readonly dieAfterCommands?: number;
}

export interface FakeSwtpm {
  readonly address: TcpTpmAddress;
  /** every control command code received, in order */
  readonly controlLog: number[];
  /** the locality each data-port command ran at */
  readonly commandLocalities: number[];
  close(): Promise<void>;
}

/**
 * swtpm's socket interface in front of the embedded command processor: the data port takes raw
 * TPM 2.0 commands, the control channel at port + 1 takes SET_LOCALITY, HASH_START/DATA/END,
 * INIT, STOP, SHUTDOWN (swtpm-recipe.md §5-6). The TCP client's tests run against it.
 */
export async function startFakeSwtpm(processor: TpmCommandProcessor, options: FakeSwtpmOptions = {}): Promise<FakeSwtpm> {
  let locality = 0;
  let commands = 0;
  const controlLog: number[] = [];
  const commandLocalities: number[] = [];

  const data = serve((socket) => {
    let pending = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      if (pending.length < 10 || pending.length < pending.readUInt32BE(2)) return;
      const command = new Uint8Array(pending);
      pending = Buffer.alloc(0);
      commands += 1;
      commandLocalities.push(locality);
      const response = processor.execute(command, locality);
      if (options.dieAfterCommands !== undefined && commands > options.dieAfterCommands) {
        socket.end(Buffer.from(response.subarray(0, Math.max(1, response.length >> 1))));
        return;
      }
      socket.write(Buffer.from(response));
    });
  });

  const control = serve((socket) => {
    let pending = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      if (pending.length < 4) return;
      const code = pending.readUInt32BE(0);
      const payloadLength = code === 0x05 ? 1 : code === 0x02 ? 4 : code === 0x07 ? (pending.length >= 8 ? 4 + pending.readUInt32BE(4) : Infinity) : 0;
      if (pending.length < 4 + payloadLength) return;
      const payload = pending.subarray(4, 4 + payloadLength);
      pending = Buffer.alloc(0);
      controlLog.push(code);
      let result = options.controlResult?.(code) ?? 0;
      if (result === 0) {
        if (code === 0x05) {
          if ((payload[0] ?? 0) > 4) result = 0x3d;
          else locality = payload[0] ?? 0;
        } else if (code === 0x06) processor.hashStart();
        else if (code === 0x07) processor.hashData(new Uint8Array(payload.subarray(4)));
        else if (code === 0x08) processor.hashEnd();
      }
      const answer = Buffer.alloc(code === 0x01 && result === 0 ? 8 : 4);
      answer.writeUInt32BE(result, 0);
      if (answer.length === 8) answer.writeUInt32BE(0xffff, 4);
      socket.write(answer);
    });
  });

  // the control channel must be at data port + 1: retry until a pair of free ports is found
  for (let attempt = 0; ; attempt++) {
    const port = await listen(data.server, 0);
    try {
      await listen(control.server, port + 1);
      const closeData = closer(data.server, data.sockets);
      const closeControl = closer(control.server, control.sockets);
      return {
        address: { host: "127.0.0.1", port, controlPort: port + 1 },
        controlLog,
        commandLocalities,
        close: async () => {
          await Promise.all([closeData(), closeControl()]);
        },
      };
    } catch (error) {
      await closer(data.server, data.sockets)();
      if (attempt === 20) throw error;
    }
  }
}
