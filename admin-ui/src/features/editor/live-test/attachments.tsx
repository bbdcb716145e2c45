import { Image, MapPin, Paperclip } from 'lucide-react';
import { type ChangeEvent, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';

// What the live test sends as the contact besides typed text: files, images and locations.

/** What the tester sends as the contact: typed text, a file or a location. */
export type Outgoing =
  | { kind: 'text'; text: string }
  | { kind: 'file'; name: string; mimeType: string; data: string }
  | { kind: 'location'; lat: number; lng: number };

/** How the tester's own message shows in the chat. */
export function outgoingText(message: Outgoing): string {
  if (message.kind === 'text') return message.text;
  if (message.kind === 'file') return `File: ${message.name}`;
  return `Location: ${message.lat}, ${message.lng}`;
}

/** The small lat/lng form behind "Send a location". */
export function LocationForm({
  disabled,
  onSend,
  onCancel,
}: {
  disabled: boolean;
  onSend: (lat: number, lng: number) => void;
  onCancel: () => void;
}) {
  const [lat, setLat] = useState('38.7223');
  const [lng, setLng] = useState('-9.1393');
  const latitude = Number(lat);
  const longitude = Number(lng);
  const valid =
    lat.trim() !== '' &&
    lng.trim() !== '' &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180 &&
    Number.isFinite(latitude) &&
    Number.isFinite(longitude);
  return (
    <form
      aria-label="Send a location"
      className="flex flex-wrap items-end gap-2 border-t bg-slate-50 px-3 py-2 text-xs"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onSend(latitude, longitude);
      }}
    >
      <label htmlFor="live-test-lat" className="flex flex-col gap-0.5">
        Latitude
        <Input
          id="live-test-lat"
          className="h-7 w-24"
          inputMode="decimal"
          value={lat}
          onChange={(e) => setLat(e.target.value)}
        />
      </label>
      <label htmlFor="live-test-lng" className="flex flex-col gap-0.5">
        Longitude
        <Input
          id="live-test-lng"
          className="h-7 w-24"
          inputMode="decimal"
          value={lng}
          onChange={(e) => setLng(e.target.value)}
        />
      </label>
      <Button type="submit" size="sm" disabled={disabled || !valid}>
        Send location
      </Button>
      <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
        Cancel
      </Button>
      {!valid && (
        <p className="w-full text-red-700">Latitude is between -90 and 90, longitude between -180 and 180.</p>
      )}
    </form>
  );
}

/** "Send a file", "Send an image" and "Send a location": what a contact can send besides text. */
export function AttachmentBar({
  disabled,
  onFile,
  onToggleLocation,
}: {
  disabled: boolean;
  onFile: (file: File | undefined) => void;
  onToggleLocation: () => void;
}) {
  const filePicker = useRef<HTMLInputElement>(null);
  const imagePicker = useRef<HTMLInputElement>(null);
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    onFile(event.target.files?.[0]);
    event.target.value = '';
  };
  return (
    <div className="flex flex-wrap items-center gap-0.5 border-t px-2 pt-1.5 [&_button]:h-7 [&_button]:px-2 [&_button]:text-xs">
      <input ref={filePicker} type="file" hidden data-testid="live-test-file" onChange={picked} />
      <input
        ref={imagePicker}
        type="file"
        accept="image/jpeg,image/png,image/webp,image/gif"
        hidden
        data-testid="live-test-image"
        onChange={picked}
      />
      <Button size="sm" variant="ghost" disabled={disabled} onClick={() => filePicker.current?.click()}>
        <Paperclip aria-hidden /> Send a file
      </Button>
      <Button size="sm" variant="ghost" disabled={disabled} onClick={() => imagePicker.current?.click()}>
        <Image aria-hidden /> Send an image
      </Button>
      <Button size="sm" variant="ghost" disabled={disabled} onClick={onToggleLocation}>
        <MapPin aria-hidden /> Send a location
      </Button>
    </div>
  );
}
