import { useState, type ReactNode } from 'react';
import { DISPOSITION_OUTCOMES, REFERRAL_TARGETS, type Disposition } from '../../contract';
import { FieldError, TextInput } from './TriageFieldParts';
import { TriageRadios } from './TriageRadios';
import { fromDatetimeLocal, toDatetimeLocal } from './triageDates';
import { OUTCOME_LABELS, REFERRAL_LABELS } from './triageText';

type Props = Readonly<{
  value: Disposition;
  errorFor: (field: string) => string | undefined;
  onChange: (patch: Partial<Disposition>) => void;
  onLeave: () => void;
}>;

const OUTCOME_HINTS: Partial<Record<(typeof DISPOSITION_OUTCOMES)[number], string>> = {
  'see-and-treat': 'Treated on scene and discharged without conveyance or referral.',
  declined: 'The patient declined care or conveyance against advice.',
};

/** The outcome radios, each with what it needs (hospital, who to, the time of ROLE) beneath it when chosen. */
export function TriageOutcomeFields({ value, errorFor, onChange, onLeave }: Props) {
  const [roleText, setRoleText] = useState(() => toDatetimeLocal(value.roleAt));
  const roleError = errorFor('roleAt');
  const conditional: Partial<Record<string, ReactNode>> = {
    conveyed: (
      <TextInput
        id="disp-destination"
        label="Hospital and department"
        hint="For example: St Thomas' Hospital, emergency department"
        value={value.destination}
        error={errorFor('destination')}
        maxLength={200}
        onChange={(destination) => onChange({ destination })}
        onBlur={onLeave}
      />
    ),
    referred: (
      <TriageRadios
        name="disp-referredTo"
        legend="Referred to"
        value={value.referredTo}
        error={errorFor('referredTo')}
        options={REFERRAL_TARGETS.map((target) => ({ value: target, id: `disp-referredTo-${target}`, label: REFERRAL_LABELS[target] }))}
        onChange={(referredTo) => onChange({ referredTo })}
      />
    ),
    deceased: (
      <div className={`nhsuk-form-group${roleError ? ' nhsuk-form-group--error' : ''}`}>
        <label className="nhsuk-label nhsuk-label--s" htmlFor="disp-roleAt">
          Time of recognition of life extinct
        </label>
        <FieldError id="disp-roleAt-error" text={roleError} />
        <input
          className={`nhsuk-input app-obs-time${roleError ? ' nhsuk-input--error' : ''}`}
          id="disp-roleAt"
          type="datetime-local"
          value={roleText}
          aria-describedby={roleError ? 'disp-roleAt-error' : undefined}
          onChange={(event) => {
            setRoleText(event.target.value);
            onChange({ roleAt: fromDatetimeLocal(event.target.value) });
          }}
          onBlur={onLeave}
        />
      </div>
    ),
  };
  return (
    <TriageRadios
      name="disp-outcome"
      legend="Outcome"
      legendSize="m"
      value={value.outcome}
      error={errorFor('outcome')}
      options={DISPOSITION_OUTCOMES.map((outcome) => ({
        value: outcome,
        id: `disp-outcome-${outcome}`,
        label: OUTCOME_LABELS[outcome],
        ...(OUTCOME_HINTS[outcome] ? { hint: OUTCOME_HINTS[outcome] } : {}),
        conditional: conditional[outcome],
      }))}
      onChange={(outcome) => onChange({ outcome })}
    />
  );
}
