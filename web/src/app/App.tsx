import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiError, Info, Lang, LoginResult, Me, Policy } from '../api/client';
import { VeilClient, isApiError } from '../api/client';
import { Footer } from '../components/Footer';
import { Header } from '../components/Header';
import { I18nContext, initialLang, makeI18n, rememberLang } from '../i18n';
import { ChoiceBanner } from '../pages/consent/ChoiceBanner';
import { ConsentDialog } from '../pages/consent/ConsentDialog';
import type { ConsentChoice } from '../pages/consent/choice';
import { effectiveChoice, loadChoice, saveChoice } from '../pages/consent/choice';
import { ClipPage } from '../pages/clips/ClipPage';
import { ConsentsPage } from '../pages/consents/ConsentsPage';
import { MyDataPage } from '../pages/privacy/MyDataPage';
import { DocumentPage } from '../pages/documents/DocumentPage';
import { GuardianPage } from '../pages/guardian/GuardianPage';
import { HomePage } from '../pages/home/HomePage';
import { LoginPage } from '../pages/login/LoginPage';
import { NotFoundPage } from '../pages/home/NotFoundPage';
import { LotteryPage } from '../pages/lottery/LotteryPage';
import { NoticesPage } from '../pages/notices/NoticesPage';
import { PenaltiesPage } from '../pages/penalties/PenaltiesPage';
import { ProfilePage } from '../pages/profile/ProfilePage';
import { RoomPage } from '../pages/rooms/RoomPage';
import { RoomsPage } from '../pages/rooms/RoomsPage';
import { RealNamePage } from '../pages/real-name/RealNamePage';
import { StaffPage } from '../pages/staff/StaffPage';
import { StudioPage } from '../pages/studio/StudioPage';
import { CheckoutPage } from '../pages/wallet/CheckoutPage';
import { WalletPage } from '../pages/wallet/WalletPage';
import type { AppState } from './context';
import { AppContext } from './context';
import type { Route } from './router';
import { navigate, paths, useRoute } from './router';
import { clearToken, loadToken, saveToken } from './session';

export function App() {
  // ---------------------------------------------------------------- language
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    rememberLang(next);
    setLangState(next);
  }, []);
  const i18n = useMemo(() => makeI18n(lang, setLang), [lang, setLang]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('app.documentTitle');
  }, [lang, i18n]);

  // ---------------------------------------------------------------- session
  const [token, setToken] = useState<string | null>(loadToken);
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const client = useMemo(() => new VeilClient(() => tokenRef.current), []);
  const [me, setMe] = useState<Me | null>(null);
  const [restoring, setRestoring] = useState(token !== null);

  const [unread, setUnreadState] = useState<number | null>(null);

  const dropSession = useCallback(() => {
    clearToken();
    tokenRef.current = null;
    setToken(null);
    setMe(null);
    setUnreadState(null);
  }, []);

  useEffect(() => {
    if (!tokenRef.current) return;
    client
      .me()
      .then(setMe, (error: unknown) => {
        if (isApiError(error) && error.status === 401) dropSession();
      })
      .finally(() => setRestoring(false));
  }, [client, dropSession]);

  const signIn = useCallback((result: LoginResult) => {
    saveToken(result.token);
    tokenRef.current = result.token;
    setToken(result.token);
    setMe(result.account);
    setRestoring(false);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await client.logout();
    } finally {
      // Forget the session here even if the server could not be told; it expires there.
      dropSession();
      navigate(paths.home);
    }
  }, [client, dropSession]);

  // ---------------------------------------------------------------- unread notices
  const setUnread = useCallback((count: number) => setUnreadState(count), []);
  const refreshUnread = useCallback(() => {
    const asked = tokenRef.current;
    if (!asked) {
      setUnreadState(null);
      return;
    }
    client.notices().then(
      (list) => {
        // An answer for a session that has since ended or changed is dropped.
        if (tokenRef.current === asked) setUnreadState(list.unread);
      },
      () => undefined,
    );
  }, [client]);
  const route = useRoute();
  // On every page change and when the person comes back to the tab: cheap, and no timer runs.
  useEffect(() => {
    refreshUnread();
  }, [token, route, refreshUnread]);
  useEffect(() => {
    window.addEventListener('focus', refreshUnread);
    return () => window.removeEventListener('focus', refreshUnread);
  }, [refreshUnread]);

  // ---------------------------------------------------------------- server facts and policy
  const [info, setInfo] = useState<Info | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [policyError, setPolicyError] = useState<ApiError | null>(null);
  useEffect(() => {
    client.info().then(setInfo, () => setInfo(null));
    client.policy().then(setPolicy, (error: unknown) => {
      if (isApiError(error)) setPolicyError(error);
    });
  }, [client]);

  // ---------------------------------------------------------------- privacy choice
  const [stored, setStored] = useState<ConsentChoice | null>(loadChoice);
  const choice = effectiveChoice(stored, policy?.version ?? info?.policy_version ?? null);
  const [reviewing, setReviewing] = useState(false);
  // The visitor stepped out of the dialog to read the full policy; the banner brings it back.
  const [deferred, setDeferred] = useState(false);
  const dialogOpen = reviewing || (choice === null && !deferred);

  const choose = useCallback((next: ConsentChoice) => {
    saveChoice(next);
    setStored(next);
    setReviewing(false);
    setDeferred(false);
  }, []);
  const openChoices = useCallback(() => setReviewing(true), []);

  const state: AppState = {
    client,
    info,
    policy,
    policyError,
    choice,
    openChoices,
    token,
    me,
    restoring,
    signIn,
    setMe,
    signOut,
    dropSession,
    unread,
    setUnread,
    refreshUnread,
  };

  return (
    <I18nContext.Provider value={i18n}>
      <AppContext.Provider value={state}>
        <div class="page" inert={dialogOpen}>
          <Header route={route} />
          {dialogOpen ? null : <ChoiceBanner choice={choice} onReview={openChoices} />}
          <main class="container" id="main">
            <Page route={route} />
          </main>
          <Footer route={route} />
        </div>
        {dialogOpen ? (
          <ConsentDialog
            policy={policy}
            policyError={policyError}
            previous={choice}
            onAccept={(purposes) => {
              if (policy) choose({ mode: 'accepted', version: policy.version, purposes });
            }}
            onBrowse={() => choose({ mode: 'browse' })}
            onDismiss={choice !== null ? () => setReviewing(false) : undefined}
            onReadPolicy={() => {
              setReviewing(false);
              setDeferred(true);
            }}
          />
        ) : null}
      </AppContext.Provider>
    </I18nContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'home':
      return <HomePage key="home" />;
    case 'login':
      return <LoginPage key="login" />;
    case 'guardian':
      return <GuardianPage key="guardian" />;
    case 'profile':
      return <ProfilePage key="profile" />;
    case 'consents':
      return <ConsentsPage key="consents" />;
    case 'myData':
      return <MyDataPage key="my-data" />;
    case 'realName':
      return <RealNamePage key="real-name" />;
    case 'studio':
      return <StudioPage key="studio" />;
    case 'staff':
      return <StaffPage key="staff" />;
    case 'notices':
      return <NoticesPage key="notices" />;
    case 'rooms':
      return <RoomsPage key="rooms" />;
    case 'room':
      return <RoomPage key={`room-${route.id}`} id={route.id} />;
    case 'lottery':
      return <LotteryPage key={`lottery-${route.id}`} id={route.id} />;
    case 'clip':
      return <ClipPage key={`clip-${route.id}`} id={route.id} />;
    case 'penalties':
      return <PenaltiesPage key="penalties" />;
    case 'wallet':
      return <WalletPage key={`wallet-${route.order ?? ''}`} order={route.order} />;
    case 'checkout':
      return <CheckoutPage key={`checkout-${route.order}`} order={route.order} />;
    case 'document':
      return <DocumentPage key={`doc-${route.doc}`} doc={route.doc} />;
    case 'notFound':
      return <NotFoundPage key="not-found" />;
  }
}
