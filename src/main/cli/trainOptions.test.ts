import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromFlags } from './trainOptions';

function configFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'neurolip-config-')), 'settings.json');
  writeFileSync(path, content);
  return path;
}

describe('configFromFlags', () => {
  it('names the --config file beside each field of it that is invalid, and the flag beside a flag', () => {
    const path = configFile(JSON.stringify({ memberValidation: 'sometimes', connectomeComponents: 5000, dropout: 0.2 }));
    let message = '';
    try {
      configFromFlags({ config: path, epochs: '0' }, 'neurolip', 'kfold5');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration: /);
    expect(message).toContain(`${path}: memberValidation: `);
    expect(message).toContain(`${path}: connectomeComponents: `);
    expect(message).toContain('--epochs: Too small');
    expect(message).not.toContain('dropout');
  });

  it('takes the file, then the flags', () => {
    const path = configFile(JSON.stringify({ dropout: 0.3, epochs: 7 }));
    const config = configFromFlags({ config: path, epochs: '9' }, 'neurolip', 'kfold5');
    expect(config.dropout).toBe(0.3);
    expect(config.epochs).toBe(9);
  });

  it('takes --patients as the patient groups to predict, and names the flag when it repeats one', () => {
    expect(configFromFlags({ patients: 'ADHD-C, ADHD-I' }, 'neurolip', 'kfold5').patientGroups).toEqual(['ADHD-C', 'ADHD-I']);
    expect(configFromFlags({}, 'neurolip', 'kfold5').patientGroups).toEqual([]);
    expect(() => configFromFlags({ patients: 'ADHD-C,ADHD-C' }, 'neurolip', 'kfold5')).toThrow(
      'Invalid configuration: --patients: each patient group once',
    );
  });

  it('says when the file is not JSON or cannot be read', () => {
    const path = configFile('{"dropout": 0.3');
    expect(() => configFromFlags({ config: path }, 'neurolip', 'kfold5')).toThrow(`--config: ${path} is not a configuration`);
    expect(() => configFromFlags({ config: `${path}.missing` }, 'neurolip', 'kfold5')).toThrow(`--config: cannot read ${path}.missing`);
  });

  it('refuses a setting it does not know, and points a member-only setting to memberSettings', () => {
    const path = configFile(JSON.stringify({ connectomePenalti: 3, predictionWeight: 2, dropout: 0.3 }));
    expect(() => configFromFlags({ config: path }, 'neurolip', 'kfold5')).toThrow(
      `Invalid configuration: ${path}: connectomePenalti: not a setting; ${path}: predictionWeight: a setting of an ensemble member; give it inside memberSettings`,
    );
    const member = configFile(JSON.stringify({ memberSettings: [{}, { predictionWeight: 2 }] }));
    expect(configFromFlags({ config: member }, 'neurolip', 'kfold5').memberSettings[1]).toEqual({ predictionWeight: 2 });
  });

  it("takes a stored run's configuration back: the variant's ttca dropped, its protocol checked against --protocol", () => {
    const stored = { variant: 'neurolip', dropout: 0.3, seed: 2, ttca: true, protocol: 'loso' };
    const path = configFile(JSON.stringify(stored));
    const config = configFromFlags({ config: path }, 'neurolip', 'loso');
    expect(config.dropout).toBe(0.3);
    expect(config).not.toHaveProperty('ttca');
    expect(config).not.toHaveProperty('protocol');
    expect(() => configFromFlags({ config: path }, 'neurolip', 'kfold5')).toThrow(
      `Invalid configuration: ${path}: protocol: "loso" here, but this command's --protocol is kfold5 (give --protocol loso or delete the key)`,
    );
    const odd = configFile(JSON.stringify({ ...stored, ttca: 'yes' }));
    expect(() => configFromFlags({ config: odd }, 'neurolip', 'loso')).toThrow(
      `Invalid configuration: ${odd}: ttca: a stored run's record (true or false), decided by the variant`,
    );
  });
});
