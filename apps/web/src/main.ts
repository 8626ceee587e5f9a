import '@fontsource/noto-sans-sc/400.css';
import './style.css';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { registerServiceWorker } from './offline';

document.documentElement.lang = i18n.global.locale.value;
createApp(App).use(i18n).mount('#app');
registerServiceWorker();
