import { OTLP_ENDPOINT, startTelemetry, telemetryOn } from './telemetry';

const mockLoaded = jest.fn();
jest.mock('@opentelemetry/sdk-node', () => {
  mockLoaded();
  return jest.requireActual('@opentelemetry/sdk-node');
});

describe(startTelemetry.name, () => {
  const endpoint = process.env[OTLP_ENDPOINT];
  afterEach(() => {
    if (endpoint === undefined) delete process.env[OTLP_ENDPOINT];
    else process.env[OTLP_ENDPOINT] = endpoint;
  });

  it('stays off, without loading the SDK, when no OTLP endpoint is set', async () => {
    delete process.env[OTLP_ENDPOINT];
    const stop = startTelemetry('test-service');
    expect(telemetryOn()).toBe(false);
    expect(mockLoaded).not.toHaveBeenCalled();
    await expect(stop()).resolves.toBeUndefined();
  });

  it('treats a blank endpoint as none', () => {
    process.env[OTLP_ENDPOINT] = '  ';
    startTelemetry('test-service');
    expect(telemetryOn()).toBe(false);
    expect(mockLoaded).not.toHaveBeenCalled();
  });

  it('loads and starts the SDK when the endpoint is set, and stops it', async () => {
    process.env[OTLP_ENDPOINT] = 'http://127.0.0.1:1';
    const stop = startTelemetry('test-service');
    expect(mockLoaded).toHaveBeenCalledTimes(1);
    expect(telemetryOn()).toBe(true);
    await stop();
    expect(telemetryOn()).toBe(false);
  });
});
