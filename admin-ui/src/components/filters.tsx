import { useId, useState } from 'react';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, type SelectProps } from '@/components/ui/select';
import { cn } from '@/lib/cn';
import { dayToIso } from '@/lib/format';

/** The pieces of the filter bars above the conversations and responses lists. */

/** A labelled select (its label names it: `<id>-label`). */
export function FilterSelect({
  id,
  label,
  className,
  ...select
}: Omit<SelectProps, 'id' | 'className'> & { id: string; label: string; className?: string }) {
  return (
    <div className={cn('flex flex-col gap-1.5', className)}>
      <Label id={`${id}-label`} htmlFor={id}>
        {label}
      </Label>
      <Select id={id} {...select} />
    </div>
  );
}

/** A From–To pair of days, and the range as the API takes it (the whole "to" day included). */
export function useDayRange() {
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const from = dayToIso(fromDay);
  const to = dayToIso(toDay, true);
  return {
    fromDay,
    setFromDay,
    toDay,
    setToDay,
    range: { ...(from ? { from } : {}), ...(to ? { to } : {}) },
  };
}

export function DayRangeFilter({
  idPrefix,
  days,
  inputClassName,
}: {
  /** The inputs are `<idPrefix>-from` and `<idPrefix>-to`. */
  idPrefix: string;
  days: ReturnType<typeof useDayRange>;
  inputClassName: string;
}) {
  return (
    <>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${idPrefix}-from`}>From</Label>
        <Input
          id={`${idPrefix}-from`}
          type="date"
          className={inputClassName}
          value={days.fromDay}
          onChange={(event) => days.setFromDay(event.target.value)}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${idPrefix}-to`}>To</Label>
        <Input
          id={`${idPrefix}-to`}
          type="date"
          className={inputClassName}
          value={days.toDay}
          onChange={(event) => days.setToDay(event.target.value)}
        />
      </div>
    </>
  );
}

export function CheckboxField({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="flex h-9 items-center gap-2">
      <Checkbox id={id} checked={checked} onCheckedChange={(value) => onChange(value === true)} />
      <Label htmlFor={id} className="font-normal">
        {label}
      </Label>
    </div>
  );
}
