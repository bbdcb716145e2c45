export { ConversationsPage } from './ConversationsPage';
