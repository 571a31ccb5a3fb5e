// Builds the trainer image from docker/ with the engine's classic builder, on the configured base
// (the Dockerfile's BASE_IMAGE build arg), streaming the builder's lines to a callback.
import type Dockerode from 'dockerode';
import { RunnerError } from '../types';
import { isNotFound, toRunnerError } from './engineErrors';
import { LineSplitter } from './streams';
import { contextFiles, SOURCE_HASH_LABEL, sourceHash } from './sourceHash';

export interface ImageState {
  present: boolean;
  /** The image's flywheel.source-hash label (undefined when it has none). */
  label?: string;
  /** What docker/ hashes to now, on the base this engine has. */
  wanted: string;
}

export async function imageState(docker: Dockerode, image: string, baseImage: string, dockerContext: string): Promise<ImageState> {
  const baseId = await imageId(docker, baseImage);
  const wanted = sourceHash(dockerContext, baseId ?? `missing:${baseImage}`);
  const info = await inspectImage(docker, image);
  return { present: !!info, label: info?.Config?.Labels?.[SOURCE_HASH_LABEL], wanted };
}

export async function buildImage(
  docker: Dockerode,
  opts: { image: string; baseImage: string; dockerContext: string; hash: string },
  onLine: (line: string) => void,
): Promise<void> {
  onLine(`[build] ${opts.image} from ${opts.dockerContext} on ${opts.baseImage}`);
  let stream: NodeJS.ReadableStream;
  try {
    // dockerode packs `src` (files relative to `context`) and applies docker/.dockerignore to them.
    stream = await docker.buildImage(
      { context: opts.dockerContext, src: contextFiles(opts.dockerContext) },
      {
        t: opts.image,
        buildargs: { BASE_IMAGE: opts.baseImage },
        labels: { [SOURCE_HASH_LABEL]: opts.hash, 'flywheel.base-image': opts.baseImage },
        rm: true,
        forcerm: true,
      },
    );
  } catch (err) {
    throw toRunnerError(err, `building ${opts.image}`);
  }
  const failure = await new Promise<string | undefined>((resolve) => {
    const lines = new LineSplitter();
    let error: string | undefined;
    const handle = (raw: string) => {
      if (!raw.trim()) return;
      let msg: { stream?: string; status?: string; progress?: string; error?: string; errorDetail?: { message?: string } };
      try {
        msg = JSON.parse(raw);
      } catch {
        onLine(raw);
        return;
      }
      if (msg.error || msg.errorDetail?.message) error = msg.errorDetail?.message ?? msg.error;
      const text = msg.error ?? msg.stream ?? (msg.status ? `${msg.status}${msg.progress ? ` ${msg.progress}` : ''}` : '');
      for (const line of text.split('\n')) if (line.trim()) onLine(line.trimEnd());
    };
    stream.on('data', (chunk: Buffer) => lines.push(chunk).forEach(handle));
    stream.on('end', () => {
      lines.end().forEach(handle);
      resolve(error);
    });
    stream.on('error', (err: Error) => resolve(error ?? err.message));
  });
  if (failure) {
    throw new RunnerError(`building the trainer image ${opts.image} failed: ${failure}`, 'image_build', 'see the build output in the daemon log; scripts/docker-image.sh builds it by hand');
  }
  if (!(await inspectImage(docker, opts.image))) {
    throw new RunnerError(`building the trainer image ${opts.image} ended without an image`, 'image_build');
  }
}

export async function inspectImage(docker: Dockerode, image: string): Promise<Dockerode.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(image).inspect();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toRunnerError(err, `looking for the image ${image}`);
  }
}

async function imageId(docker: Dockerode, image: string): Promise<string | undefined> {
  return (await inspectImage(docker, image))?.Id;
}
