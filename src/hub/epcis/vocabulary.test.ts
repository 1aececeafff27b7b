import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { epcisVectorsDir } from './schema.js';
import {
  ACTIONS,
  BIZ_STEPS,
  BIZ_TRANSACTION_TYPES,
  cbvBareWord,
  cbvExpand,
  cbvWebUri,
  DISPOSITIONS,
  ERROR_REASONS,
  isBizStep,
  isDisposition,
  SOURCE_DESTINATION_TYPES,
  type VocabularyKind,
} from './vocabulary.js';

interface Definition {
  enum?: string[];
  anyOf?: Definition[];
}
const schema = JSON.parse(readFileSync(`${epcisVectorsDir()}EPCIS-JSON-Schema.json`, 'utf8')) as { definitions: Record<string, Definition> };

/** The bare words a schema definition lists (`anyOf: [custom URI, enum]`, or a plain enum). */
function schemaEnum(name: string): string[] {
  const d = schema.definitions[name]!;
  return (d.enum ?? d.anyOf?.flatMap((branch) => branch.enum ?? []) ?? []).slice().sort();
}

describe('the CBV 2.0 lists are exactly the official schema\'s', () => {
  const table: [string, readonly string[]][] = [
    ['bizStep', BIZ_STEPS],
    ['disposition', DISPOSITIONS],
    ['bizTransaction-type', BIZ_TRANSACTION_TYPES],
    ['source-dest-type', SOURCE_DESTINATION_TYPES],
    ['error-reason', ERROR_REASONS],
    ['action', ACTIONS],
  ];
  for (const [definition, values] of table) {
    it(definition, () => {
      expect(new Set(values).size).toBe(values.length);
      expect([...values].sort()).toEqual(schemaEnum(definition));
    });
  }

  it('has the 41 business steps and 33 dispositions of CBV 2.0', () => {
    expect(BIZ_STEPS).toHaveLength(41);
    expect(DISPOSITIONS).toHaveLength(33);
    for (const step of ['accepting', 'creating_class_instance', 'sensor_reporting', 'sampling', 'void_shipping']) expect(isBizStep(step)).toBe(true);
    for (const d of ['container_closed', 'needs_replacement', 'sellable_accessible', 'unavailable']) expect(isDisposition(d)).toBe(true);
    expect(isBizStep('sorting')).toBe(false);
  });
});

describe('bare words, Web URIs and legacy URNs', () => {
  const kinds: [VocabularyKind, readonly string[], string, string][] = [
    ['bizStep', BIZ_STEPS, 'BizStep-', 'urn:epcglobal:cbv:bizstep:'],
    ['disposition', DISPOSITIONS, 'Disp-', 'urn:epcglobal:cbv:disp:'],
    ['bizTransactionType', BIZ_TRANSACTION_TYPES, 'BTT-', 'urn:epcglobal:cbv:btt:'],
    ['sourceDestinationType', SOURCE_DESTINATION_TYPES, 'SDT-', 'urn:epcglobal:cbv:sdt:'],
    ['errorReason', ERROR_REASONS, 'ER-', 'urn:epcglobal:cbv:er:'],
  ];
  for (const [kind, values, web, urn] of kinds) {
    it(kind, () => {
      for (const word of values) {
        const uri = cbvWebUri(kind, word);
        expect(uri).toBe(`https://ref.gs1.org/cbv/${web}${word}`);
        expect(cbvBareWord(kind, word)).toBe(word);
        expect(cbvBareWord(kind, uri)).toBe(word);
        expect(cbvBareWord(kind, urn + word)).toBe(word);
        expect(cbvExpand(kind, word)).toBe(uri);
        expect(cbvExpand(kind, urn + word)).toBe(uri);
      }
    });
  }

  it('leaves custom values alone and refuses unknown bare words', () => {
    expect(cbvBareWord('bizStep', 'https://glasshub.dev/epcis/sorting')).toBeUndefined();
    expect(cbvExpand('bizStep', 'https://glasshub.dev/epcis/sorting')).toBe('https://glasshub.dev/epcis/sorting');
    expect(cbvBareWord('bizStep', 'https://ref.gs1.org/cbv/BizStep-flying')).toBeUndefined();
    expect(() => cbvWebUri('disposition', 'lost')).toThrow(RangeError);
  });
});
