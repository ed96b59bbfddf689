import { describe, expect, it } from 'vitest';
import { describePriority } from './priority';

describe('describePriority', () => {
  it('turns FHIR request-priority codes into words', () => {
    expect(describePriority('stat')).toEqual({ label: 'Immediate', tone: 'red' });
    expect(describePriority('ASAP')).toEqual({ label: 'As soon as possible', tone: 'orange' });
    expect(describePriority('urgent').label).toBe('Urgent');
  });
  it('passes through text it does not know, and names a missing priority', () => {
    expect(describePriority('Category 1')).toEqual({ label: 'Category 1', tone: 'grey' });
    expect(describePriority(' ').label).toBe('Priority not set');
  });
});
