// Publishing a browser's camera, screen or microphone into a live room by WHIP. No trickle ICE:
// the offer goes out once every candidate is gathered, as the server answers in one exchange.
import type { VeilClient } from '../api/client';

export type SourceKind = 'camera' | 'screen' | 'microphone';

export interface SourceChoice {
  kind: SourceKind;
  /** A device id from enumerateDevices, or '' for the browser's default. */
  videoDevice: string;
  audioDevice: string;
}

/** Asks the browser for the chosen source. Throws the browser's DOMException when refused. */
export async function captureSource(choice: SourceChoice): Promise<MediaStream> {
  const audio: MediaTrackConstraints | boolean = choice.audioDevice ? { deviceId: { exact: choice.audioDevice } } : true;
  if (choice.kind === 'screen') {
    const screen = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 30 }, audio: false });
    // The narration comes from the microphone: a screen's own sound is not offered everywhere.
    const voice = await navigator.mediaDevices.getUserMedia({ audio });
    return new MediaStream([...screen.getVideoTracks(), ...voice.getAudioTracks()]);
  }
  if (choice.kind === 'microphone') return navigator.mediaDevices.getUserMedia({ audio });
  const video: MediaTrackConstraints = {
    width: { ideal: 1280 },
    height: { ideal: 720 },
    frameRate: { ideal: 30 },
    ...(choice.videoDevice ? { deviceId: { exact: choice.videoDevice } } : {}),
  };
  return navigator.mediaDevices.getUserMedia({ video, audio });
}

export interface WhipSession {
  connection: RTCPeerConnection;
  stop: () => Promise<void>;
}

function gathered(connection: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (connection.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (connection.iceGatheringState !== 'complete') return;
      connection.removeEventListener('icegatheringstatechange', done);
      resolve();
    };
    connection.addEventListener('icegatheringstatechange', done);
    // Whatever has been gathered by then is enough on most networks.
    setTimeout(resolve, timeoutMs);
  });
}

export async function publishByWhip(
  client: VeilClient,
  roomId: string,
  credential: string,
  stream: MediaStream,
): Promise<WhipSession> {
  const connection = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  for (const track of stream.getTracks()) connection.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
  try {
    await connection.setLocalDescription(await connection.createOffer());
    await gathered(connection, 2000);
    const { answer, resource } = await client.whipPublish(roomId, credential, connection.localDescription?.sdp ?? '');
    await connection.setRemoteDescription({ type: 'answer', sdp: answer });
    let stopped = false;
    return {
      connection,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        connection.close();
        await client.stopMedia(resource).catch(() => undefined);
      },
    };
  } catch (error) {
    connection.close();
    throw error;
  }
}
