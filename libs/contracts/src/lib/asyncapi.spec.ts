import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
// A dependency of @nestjs/swagger, read here only: the documentation file is YAML.
import { load } from 'js-yaml';
import { EventFixtures } from '../fixtures';
import { EventClasses } from './catalogue';
import {
  EMPLOYEE_STATUSES,
  EmployeeEventPayload,
  PublicEmployeeAttributes,
  SYNCED_EMPLOYEE_FIELDS,
} from './employee';
import { EventEnvelope } from './envelope';
import { IntegrationAlertPayload } from './integration-alert';
import { EmployeeEvents, eventSubject, EventType, Streams } from './subjects';
import {
  RunCounts,
  RunFailure,
  SideCounts,
  SYNC_DIRECTIONS,
  SYNC_RUN_STATUSES,
  SYNC_TRIGGERS,
  SyncRunEventPayload,
} from './sync-run';

interface Schema {
  $ref?: string;
  type?: string | string[];
  const?: string;
  enum?: string[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
}

interface AsyncApi {
  asyncapi: string;
  'x-jetstream-streams': Record<string, { subjects: string[] }>;
  channels: Record<
    string,
    { 'x-jetstream-stream': string; subscribe: { message: { $ref: string } } }
  >;
  components: {
    schemas: Record<string, Schema>;
    messages: Record<
      string,
      {
        name: string;
        payload: Schema;
        examples: { headers: Record<string, string>; payload: object }[];
      }
    >;
  };
}

const doc = load(readFileSync(join(__dirname, '../../asyncapi.yaml'), 'utf8')) as AsyncApi;

/** `#/components/<kind>/<name>` -> that component (a dangling reference fails the test). */
function resolve<T>(ref: string | undefined): T {
  const match = /^#\/components\/(schemas|messages)\/(.+)$/.exec(ref ?? '');
  const found = match
    ? (doc.components[match[1] as 'schemas'] as Record<string, unknown>)[match[2]]
    : undefined;
  if (!found) throw new Error(`asyncapi.yaml: no component for $ref ${ref}`);
  return found as T;
}

/** The properties a contract class validates, and which of them it requires. */
function classShape(cls: new () => object): { properties: string[]; required: string[] } {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const properties = [...new Set(metadata.map((m) => m.propertyName))].sort();
  const optional = new Set(
    metadata
      .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
      .map((m) => m.propertyName),
  );
  return { properties, required: properties.filter((p) => !optional.has(p)) };
}

const eventTypes = Object.keys(EventClasses) as EventType[];

describe('asyncapi.yaml', () => {
  it('is an AsyncAPI 2.6 document listing the JetStream streams of the catalogue', () => {
    expect(doc.asyncapi).toBe('2.6.0');
    expect(
      Object.fromEntries(
        Object.entries(doc['x-jetstream-streams']).map(([name, s]) => [name, s.subjects]),
      ),
    ).toEqual(Object.fromEntries(Object.values(Streams).map((s) => [s.name, [...s.subjects]])));
  });

  it('has one channel per event type of the catalogue (its company-scoped subject), and no other', () => {
    expect(Object.keys(doc.channels).sort()).toEqual(
      eventTypes.map((type) => eventSubject(type, '{companyId}')).sort(),
    );
  });

  describe.each(eventTypes)('%s', (type) => {
    const channel = doc.channels[eventSubject(type, '{companyId}')];
    const message = resolve<AsyncApi['components']['messages'][string]>(
      channel.subscribe.message.$ref,
    );
    const [envelope, body] = resolve<Schema>(message.payload.$ref).allOf ?? [];
    // company.* events carry nothing beyond the envelope but their own fields.
    const bodyProperty = type.startsWith('employee.')
      ? 'employee'
      : type.startsWith('sync.integration.')
        ? 'alert'
        : type.startsWith('sync.')
          ? 'run'
          : undefined;
    const bodySchema = bodyProperty
      ? {
          employee: 'EmployeeEventPayload',
          run: 'SyncRunEventPayload',
          alert: 'IntegrationAlertPayload',
        }[bodyProperty]
      : undefined;

    it('sits on the stream whose subjects cover it', () => {
      const stream = Object.values(Streams).find(
        (s) => s.subjects[0].replace('>', '') === `${type.split('.')[0]}.`,
      );
      expect(channel['x-jetstream-stream']).toBe(stream?.name);
    });

    it('has a message named by its type whose payload is the envelope plus its body', () => {
      expect(message.name).toBe(type);
      expect(envelope.$ref).toBe('#/components/schemas/EventEnvelope');
      expect(body.properties?.type.const).toBe(type);
      if (!bodyProperty) return;
      expect(body.required).toContain(bodyProperty);
      expect(body.properties?.[bodyProperty].$ref).toBe(`#/components/schemas/${bodySchema}`);
    });

    it('shows the catalogue fixture as its example, with Nats-Msg-Id = eventId', () => {
      const [example] = message.examples;
      expect(example.payload).toEqual(EventFixtures[type]);
      expect(example.headers['Nats-Msg-Id']).toBe(EventFixtures[type].eventId);
    });

    it(
      type === EmployeeEvents.updated
        ? 'names changed fields from the synced fields'
        : 'has no changedFields',
      () => {
        const changed = body.properties?.changedFields;
        if (type !== EmployeeEvents.updated) return expect(changed).toBeUndefined();
        expect(body.required).toContain('changedFields');
        expect(changed?.items?.enum).toEqual([...SYNCED_EMPLOYEE_FIELDS]);
      },
    );
  });

  it.each([
    ['EventEnvelope', EventEnvelope as unknown as new () => object],
    ['EmployeeEventPayload', EmployeeEventPayload],
    ['PublicEmployeeAttributes', PublicEmployeeAttributes],
    ['SyncRunEventPayload', SyncRunEventPayload],
    ['RunCounts', RunCounts],
    ['SideCounts', SideCounts],
    ['RunFailure', RunFailure],
    ['IntegrationAlertPayload', IntegrationAlertPayload],
  ])(
    'schema %s has the properties of its contract class, required where the class requires them',
    (name, cls) => {
      const schema = doc.components.schemas[name];
      const shape = classShape(cls);
      expect(Object.keys(schema.properties ?? {}).sort()).toEqual(shape.properties);
      expect([...(schema.required ?? [])].sort()).toEqual(shape.required);
    },
  );

  it('keeps its enums in step with the contract', () => {
    const { schemas } = doc.components;
    expect(schemas.EmployeeEventPayload.properties?.status.enum).toEqual([...EMPLOYEE_STATUSES]);
    expect(schemas.SyncRunEventPayload.properties?.trigger.enum).toEqual([...SYNC_TRIGGERS]);
    expect(schemas.SyncRunEventPayload.properties?.direction.enum).toEqual([...SYNC_DIRECTIONS]);
    expect(schemas.SyncRunEventPayload.properties?.status.enum).toEqual([...SYNC_RUN_STATUSES]);
  });

  it('documents no SSN in any event payload', () => {
    expect(doc.components.schemas.PublicEmployeeAttributes.properties).not.toHaveProperty('ssn');
    expect(JSON.stringify(doc.components.messages)).not.toMatch(/"ssn"\s*:/);
  });
});
