// Watching a room over WebRTC through the server's WHEP endpoint, server-offer exchange: the
// server (Janus) offers, this browser answers. Resolves once a track arrives; any failure is the
// caller's cue to play HLS instead.
import type { VeilClient } from '../api/client';
import type { WhepOffer } from '../api/types';

export interface WhepSession {
  stream: MediaStream;
  close: () => void;
}

function gathered(connection: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (connection.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (connection.iceGatheringState === 'complete') resolve();
    };
    connection.addEventListener('icegatheringstatechange', done);
    setTimeout(resolve, timeoutMs);
  });
}

export async function watchByWhep(client: VeilClient, roomId: string, credential: string, timeoutMs = 8000): Promise<WhepSession> {
  return answerWhepOffer(client, await client.whepOffer(roomId, credential), timeoutMs);
}

/** The host's unmasked view of a masked co-host ([000] 面具连线), with the host's login session. */
export async function watchUnmaskedCohost(client: VeilClient, roomId: string, requestId: string, session: string): Promise<WhepSession> {
  return answerWhepOffer(client, await client.unmaskedCohostOffer(roomId, requestId, session), 8000);
}

async function answerWhepOffer(client: VeilClient, { offer, resource }: WhepOffer, timeoutMs: number): Promise<WhepSession> {
  const connection = new RTCPeerConnection();
  const stream = new MediaStream();
  const close = () => {
    connection.close();
    // Frees the server's viewer at once rather than when Janus notices the silence.
    void client.stopMedia(resource).catch(() => undefined);
  };
  const arrived = new Promise<void>((resolve, reject) => {
    connection.addEventListener('track', (event) => {
      stream.addTrack(event.track);
      if (event.track.kind === 'video') resolve();
    });
    connection.addEventListener('connectionstatechange', () => {
      if (connection.connectionState === 'failed') reject(new Error('WebRTC connection failed'));
    });
    setTimeout(() => reject(new Error('no picture over WebRTC in time')), timeoutMs);
  });
  try {
    await connection.setRemoteDescription({ type: 'offer', sdp: offer });
    await connection.setLocalDescription(await connection.createAnswer());
    await gathered(connection, 2000);
    await client.whepAnswer(resource, connection.localDescription?.sdp ?? '');
    await arrived;
    return { stream, close };
  } catch (error) {
    close();
    throw error;
  }
}
