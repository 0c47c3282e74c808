import type { Body, Reply } from '../../api/types';

export type KnowledgeBase = Reply<'/api/knowledge-bases', 'get'>['items'][number];
export type DocumentRow = Reply<'/api/documents', 'get'>['items'][number];
export type DocumentStatus = DocumentRow['status'];
export type SearchBody = Body<'/api/documents/search', 'post'>;
export type SearchReply = Reply<'/api/documents/search', 'post'>;
export type SearchHit = SearchReply['hits'][number];
export type SearchType = NonNullable<SearchBody['search_type']>;
