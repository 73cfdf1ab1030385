/** Nothing to do on this page: why, and the one place to go instead. */
export function NextStep({ message, href, action }: { message: string; href: string; action: string }) {
  return (
    <div class="empty">
      <p>{message}</p>
      <p>
        <a class="button" href={href}>
          {action}
        </a>
      </p>
    </div>
  );
}
