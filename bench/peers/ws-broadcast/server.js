// The reference of the room fan-out benchmark (docs/benchmarks.md, "Room fan-out"): the ws
// README's "Server broadcast" example, the variant that sends every message to every other
// client. Only the listening address differs: loopback, the port from PORT.
import { readFileSync } from 'node:fs';
import WebSocket, { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', function connection(ws) {
  ws.on('error', console.error);

  ws.on('message', function message(data, isBinary) {
    wss.clients.forEach(function each(client) {
      if (client !== ws && client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: isBinary });
      }
    });
  });
});

// Not in the README: say which ws answered, and where, so a run's log names the reference.
const { version } = JSON.parse(readFileSync(new URL('./node_modules/ws/package.json', import.meta.url)));
wss.on('listening', () => console.log(`ws ${version} broadcast server on 127.0.0.1:${wss.address().port}`));
